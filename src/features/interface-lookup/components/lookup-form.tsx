import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState, type BaseSyntheticEvent, type ChangeEvent, type Ref } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { ApiError } from '../../../api/api-error.ts';
import {
  fieldsFromParams,
  lookupFormSchema,
  NETWORK_KIND_LABELS,
  networkParam,
  parseNetwork,
  parseVm,
  VM_KIND_LABELS,
  vmParam,
  type LookupFormValues,
  type LookupTarget,
} from '../lookup-schema.ts';
import { NetworkChoices } from './network-choices.tsx';

/*
 * The first screen is plain React and the panel's own CSS (`src/app/shell.css`, classes `kp-…`),
 * no MUI: it paints before the rest of the panel has loaded.
 */

export interface LookupFormProps {
  /** `?vm=&network=` as in the URL: a deep link, reload or back/forward puts them in the form. */
  initial: { vm: string; network: string };
  /** The lookup being shown (from the URL), if the URL holds a valid one. */
  target?: LookupTarget | undefined;
  busy: boolean;
  onSubmit: (target: LookupTarget) => void;
  /**
   * The lookup's error. A 404 for the VM or the network is shown on that field, for as long as the
   * field holds the value that was looked up.
   */
  lookupError?: ApiError | null | undefined;
}

const VM_KINDS = { auto: 'Detect', ...VM_KIND_LABELS } as const;
const NETWORK_KINDS = { auto: 'Detect', ...NETWORK_KIND_LABELS } as const;

/** The helper text under a field: the detected (or forced) kind, once the value is valid. */
const detectedText = (label: string | undefined, choice: string) =>
  label ? `${choice === 'auto' ? 'Detected' : 'Given as'}: ${label}` : ' ';

export function LookupForm({ initial, target, busy, onSubmit, lookupError }: LookupFormProps) {
  const { control, handleSubmit, setValue, reset, trigger, getValues } = useForm<LookupFormValues, unknown, LookupTarget>({
    // The schema is built on the first check, not in the first screen's render (see lookupFormSchema).
    resolver: (values, context, options) => zodResolver(lookupFormSchema())(values, context, options),
    defaultValues: fieldsFromParams(initial.vm, initial.network),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });

  // What this form last submitted, as URL parameters: the URL change that follows comes from the
  // form itself and must not reset it (the user may already be typing the next lookup).
  const submitted = useRef<{ vm: string; network: string } | undefined>(undefined);

  // A deep link, reload or back/forward changes what the form shows. A link whose values are not
  // valid is not looked up: say why, on the fields.
  useEffect(() => {
    const own = submitted.current;
    submitted.current = undefined;
    if (own && own.vm === initial.vm && own.network === initial.network) return;
    const fields = fieldsFromParams(initial.vm, initial.network);
    const current = getValues();
    const same = (Object.keys(fields) as (keyof LookupFormValues)[]).every((k) => fields[k] === current[k]);
    if (!same) reset(fields);
    if (fields.vm !== '' || fields.network !== '') {
      const ok = parseVm(fields.vm, fields.vmKind).ok && parseNetwork(fields.network, fields.networkKind).ok;
      if (!ok) void trigger();
    }
  }, [initial.vm, initial.network, reset, trigger, getValues]);

  const [vm, vmKind, network, networkKind] = useWatch({ control, name: ['vm', 'vmKind', 'network', 'networkKind'] });
  const vmParsed = parseVm(vm, vmKind);
  const networkParsed = parseNetwork(network, networkKind);

  // Offer the VM's networks once a VM is entered: when the field is left, or the VM came from the
  // URL (a submitted lookup or a deep link); not on every keystroke.
  const [blurredVm, setBlurredVm] = useState<string | undefined>(undefined);
  const urlVm = parseVm(fieldsFromParams(initial.vm, '').vm, fieldsFromParams(initial.vm, '').vmKind);
  const pickerVm =
    vmParsed.ok && (vmParsed.value === blurredVm || (urlVm.ok && urlVm.value === vmParsed.value))
      ? { kind: vmParsed.kind, value: vmParsed.value }
      : undefined;

  const code = lookupError?.code;
  const vmNotFound = code === 'virtual_machine_not_found' && target && vmParsed.ok && vmParsed.value === target.vm.value;
  const networkNotFound =
    code === 'network_not_found' && target && networkParsed.ok && networkParsed.value === target.network.value;
  const serverVm = vmNotFound
    ? `Katapult has no virtual machine with this ${target.vm.kind === 'id' ? 'id' : 'FQDN'} (virtual_machine_not_found).`
    : undefined;
  const serverNetwork = networkNotFound
    ? `Katapult has no network with this ${target.network.kind === 'id' ? 'id' : 'permalink'} (network_not_found).`
    : undefined;

  // Take the user to the field Katapult could not find.
  const vmInput = useRef<HTMLInputElement | null>(null);
  const networkInput = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    if (lookupError?.code === 'virtual_machine_not_found') vmInput.current?.focus();
    else if (lookupError?.code === 'network_not_found') networkInput.current?.focus();
  }, [lookupError]);

  const submit = (e?: BaseSyntheticEvent) =>
    handleSubmit((t) => {
      submitted.current = { vm: vmParam(t.vm), network: networkParam(t.network) };
      onSubmit(t);
    })(e);

  return (
    <form className="kp-lookup" noValidate onSubmit={(e) => void submit(e)} aria-label="Look up an interface">
      {/* One row per object, so ids and FQDNs are readable in full; the button ends the second row. */}
      <div className="kp-row kp-row-vm">
        <Controller
          name="vm"
          control={control}
          render={({ field: { ref, ...field }, fieldState }) => {
            const message = fieldState.error?.message ?? serverVm;
            return (
              <TextInput
                {...field}
                inputRef={(el: HTMLInputElement | null) => {
                  ref(el);
                  vmInput.current = el;
                }}
                label="Virtual machine"
                placeholder="vm_… or name.example.katapult.cloud"
                error={message !== undefined}
                helperText={message ?? detectedText(vmParsed.ok ? VM_KIND_LABELS[vmParsed.kind] : undefined, vmKind)}
                onBlur={() => {
                  field.onBlur();
                  setBlurredVm(vmParsed.ok ? vmParsed.value : undefined);
                }}
              />
            );
          }}
        />
        <Controller
          name="vmKind"
          control={control}
          render={({ field: { ref, ...field } }) => <KindSelect {...field} selectRef={ref} label="VM given as" kinds={VM_KINDS} />}
        />
      </div>
      <div className="kp-row kp-row-network">
        <div className="kp-row kp-row-fields">
          <Controller
            name="network"
            control={control}
            render={({ field: { ref, ...field }, fieldState }) => {
              const message = fieldState.error?.message ?? serverNetwork;
              return (
                <TextInput
                  {...field}
                  inputRef={(el: HTMLInputElement | null) => {
                    ref(el);
                    networkInput.current = el;
                  }}
                  label="Network"
                  placeholder="netw_… or a permalink such as public"
                  error={message !== undefined}
                  helperText={
                    message ?? detectedText(networkParsed.ok ? NETWORK_KIND_LABELS[networkParsed.kind] : undefined, networkKind)
                  }
                />
              );
            }}
          />
          <Controller
            name="networkKind"
            control={control}
            render={({ field: { ref, ...field } }) => (
              <KindSelect {...field} selectRef={ref} label="Network given as" kinds={NETWORK_KINDS} />
            )}
          />
        </div>
        {/* Busy, but never disabled: a newer lookup may replace a slow one (Enter or click). */}
        <button type="submit" className="kp-button" aria-busy={busy}>
          {busy ? <span className="kp-spinner" aria-hidden /> : null}
          Look up
        </button>
      </div>
      {code === 'interface_not_found' ? null : (
        <NetworkChoices
          vm={pickerVm}
          current={networkParsed.ok ? networkParsed.value : undefined}
          onPick={(id) => {
            setValue('network', id);
            setValue('networkKind', 'auto');
            void submit();
          }}
        />
      )}
    </form>
  );
}

interface TextInputProps {
  name: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  onBlur: () => void;
  disabled?: boolean | undefined;
  inputRef: Ref<HTMLInputElement>;
  label: string;
  placeholder: string;
  error: boolean;
  helperText: string;
}

/** An outlined text field (label above the value, helper or error text below it), as MUI draws one. */
function TextInput({ inputRef, label, error, helperText, ...input }: TextInputProps) {
  const id = useId();
  return (
    <div className={`kp-field kp-grow${error ? ' kp-error' : ''}`}>
      <label className="kp-label" htmlFor={id}>
        {label}
      </label>
      <input
        {...input}
        ref={inputRef}
        id={id}
        className="kp-input kp-input-id"
        type="text"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error}
        aria-describedby={`${id}-helper`}
      />
      <p className="kp-helper" id={`${id}-helper`}>
        {helperText}
      </p>
    </div>
  );
}

interface KindSelectProps {
  name: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLSelectElement>) => void;
  onBlur: () => void;
  disabled?: boolean | undefined;
  selectRef: Ref<HTMLSelectElement>;
  label: string;
  kinds: Record<string, string>;
}

/** "… given as": a native select (role combobox), so the first screen needs no menu component. */
function KindSelect({ selectRef, label, kinds, ...select }: KindSelectProps) {
  const id = useId();
  return (
    <div className="kp-field kp-kind">
      <label className="kp-label" htmlFor={id}>
        {label}
      </label>
      <select {...select} ref={selectRef} id={id} className="kp-input kp-select">
        {Object.entries(kinds).map(([k, text]) => (
          <option key={k} value={k}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
