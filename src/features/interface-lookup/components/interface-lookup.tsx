import { useInterface } from '../use-lookup.ts';
import { sameTarget, type LookupRequest } from '../lookup-schema.ts';
import { useGoToLookup, useLookupSearch } from '../use-lookup.ts';
import { LookupForm } from './lookup-form.tsx';

/** The lookup form, driven by the URL: it shows the lookup's progress and puts a 404 on its field. */
export function InterfaceLookup() {
  const { lookup: request, fields } = useLookupSearch();
  const goTo = useGoToLookup();
  const target = request && 'vm' in request ? request : undefined;
  const lookup = useInterface(target);
  const submit = (t: LookupRequest) => {
    // The same lookup again asks Katapult again, unless it is still under way (a held Enter, a triple click).
    if (target && sameTarget(t, target) && !lookup.isFetching) void lookup.refetch();
    goTo(t);
  };
  return (
    <LookupForm
      fields={fields}
      target={target}
      busy={lookup.isFetching}
      onSubmit={submit}
      lookupError={lookup.error}
      shownNetworkId={(lookup.data?.network ?? lookup.data?.virtual_network)?.id}
    />
  );
}
