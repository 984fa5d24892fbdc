import { useInterface } from '../api/get-interface.ts';
import { sameTarget, type LookupRequest } from '../lookup-schema.ts';
import { LookupForm } from './lookup-form.tsx';

export interface InterfaceLookupProps {
  /** `?vm=&network=` as in the URL (the form shows them as given). */
  vm: string | undefined;
  network: string | undefined;
  /** The lookup those ask for, as the route parsed it; undefined when absent or invalid. */
  lookup: LookupRequest | undefined;
  /** A valid lookup was submitted: the app puts it in the URL. */
  onLookup: (lookup: LookupRequest) => void;
}

/** The lookup form, driven by the URL: it shows the lookup's progress and puts a 404 on its field. */
export function InterfaceLookup({ vm, network, lookup: request, onLookup }: InterfaceLookupProps) {
  const target = request && 'vm' in request ? request : undefined;
  const lookup = useInterface(target);
  const submit = (t: LookupRequest) => {
    // The same lookup again asks Katapult again, unless it is still under way (a held Enter, a triple click).
    if (target && sameTarget(t, target) && !lookup.isFetching) void lookup.refetch();
    onLookup(t);
  };
  return (
    <LookupForm
      initial={{ vm: vm ?? '', network: network ?? '' }}
      target={target}
      busy={lookup.isFetching}
      onSubmit={submit}
      lookupError={lookup.error}
      shownNetworkId={(lookup.data?.network ?? lookup.data?.virtual_network)?.id}
    />
  );
}
