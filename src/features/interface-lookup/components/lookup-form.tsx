import { useEffect, useId, useRef, useState, type ChangeEvent, type Ref } from 'react';
import * as z from 'zod/mini';
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
 *
 * Its state is plain React state checked by the form's zod schema (lookupFormSchema), with
 * react-hook-form's rules: checked on submit, then again on every change; the first field in error
 * takes the focus. react-hook-form itself serves the change form (a lazy chunk): on this screen its
 * form control and four Controllers took about 75 ms of the first render at 4× CPU throttling and
 * 15 kB of the initial JavaScript (bench: cold load 1.41–1.51× → ~1.3× the floor without them).
 */

export interface LookupFormProps {
  /** `?vm=&network=` as in the URL: a deep link, reload or back/forward puts them in the form. */
  initial: { vm: string; network: string };
  /** The lookup being shown (from the URL), if the URL holds a valid one. */
  target?: LookupTarget | undefined;
  busy: boolean;
  onSubmit: (target: LookupTarget) => void;
  /**
   * The mouse button went down on "Look up" while the form holds a valid lookup: the click follows
   * when it is released (a person's click takes 50–150 ms), so its request may leave now.
   */
  onPress?: ((target: LookupTarget) => void) | undefined;
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

type FieldErrors = Partial<Record<'vm' | 'network', string>>;

/** The schema's verdict: the target, or the first message for each field in error. */
function check(values: LookupFormValues): { target?: LookupTarget; errors: FieldErrors } {
  const r = z.safeParse(lookupFormSchema(), values);
  if (r.success) return { target: r.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const field = issue.path[0];
    if ((field === 'vm' || field === 'network') && errors[field] === undefined) errors[field] = issue.message;
  }
  return { errors };
}

interface FormState {
  values: LookupFormValues;
  errors: FieldErrors;
  /** Checked once (a submit, or an invalid deep link): from then on every change is checked again. */
  checked: boolean;
  /** The URL parameters the values were last put in from. */
  from: { vm: string; network: string };
  /**
   * What this form last submitted, as URL parameters: the URL change that follows comes from the
   * form itself and must not reset it (the user may already be typing the next lookup).
   */
  own: { vm: string; network: string } | undefined;
}

/** The form as a deep link, reload or back/forward puts it: a link whose values are not valid says why, on the fields. */
function fromUrl(initial: { vm: string; network: string }): FormState {
  const values = fieldsFromParams(initial.vm, initial.network);
  const given = values.vm !== '' || values.network !== '';
  const valid = parseVm(values.vm, values.vmKind).ok && parseNetwork(values.network, values.networkKind).ok;
  const errors = given && !valid ? check(values).errors : {};
  return { values, errors, checked: given && !valid, from: initial, own: undefined };
}

export function LookupForm({ initial, target, busy, onSubmit, onPress, lookupError }: LookupFormProps) {
  const [state, setState] = useState(() => fromUrl(initial));
  // The URL changed (deep link, back/forward, or this form's own submit): adjust while rendering.
  if (initial.vm !== state.from.vm || initial.network !== state.from.network) {
    const own = state.own && state.own.vm === initial.vm && state.own.network === initial.network;
    const fields = fieldsFromParams(initial.vm, initial.network);
    const same = (Object.keys(fields) as (keyof LookupFormValues)[]).every((k) => fields[k] === state.values[k]);
    setState(own || same ? { ...state, from: initial, own: undefined } : fromUrl(initial));
  }
  const { values, errors } = state;
  const { vm, vmKind, network, networkKind } = values;
  const vmParsed = parseVm(vm, vmKind);
  const networkParsed = parseNetwork(network, networkKind);

  const change = <K extends keyof LookupFormValues>(key: K, value: LookupFormValues[K]) =>
    setState((s) => {
      const next = { ...s.values, [key]: value };
      return { ...s, values: next, errors: s.checked ? check(next).errors : s.errors };
    });

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
  // What each field says under it: the form's own message, else Katapult's 404, else what was detected.
  const vmMessage = errors.vm ?? serverVm;
  const networkMessage = errors.network ?? serverNetwork;

  // Take the user to the field Katapult could not find.
  const vmInput = useRef<HTMLInputElement | null>(null);
  const networkInput = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    if (lookupError?.code === 'virtual_machine_not_found') vmInput.current?.focus();
    else if (lookupError?.code === 'network_not_found') networkInput.current?.focus();
  }, [lookupError]);

  const submit = (next: LookupFormValues) => {
    const verdict = check(next);
    const t = verdict.target;
    setState((s) => ({
      ...s,
      values: next,
      errors: verdict.errors,
      checked: true,
      own: t ? { vm: vmParam(t.vm), network: networkParam(t.network) } : s.own,
    }));
    if (t) onSubmit(t);
    else if (verdict.errors.vm !== undefined) vmInput.current?.focus();
    else networkInput.current?.focus();
  };

  return (
    <form
      className="kp-lookup"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit(values);
      }}
      aria-label="Look up an interface"
    >
      {/* One row per object, so ids and FQDNs are readable in full; the button ends the second row. */}
      <div className="kp-row kp-row-vm">
        <TextInput
          name="vm"
          value={vm}
          onChange={(e) => change('vm', e.target.value)}
          onBlur={() => setBlurredVm(vmParsed.ok ? vmParsed.value : undefined)}
          inputRef={vmInput}
          label="Virtual machine"
          placeholder="vm_… or name.example.katapult.cloud"
          error={vmMessage !== undefined}
          helperText={vmMessage ?? detectedText(vmParsed.ok ? VM_KIND_LABELS[vmParsed.kind] : undefined, vmKind)}
        />
        <KindSelect
          name="vmKind"
          value={vmKind}
          onChange={(e) => change('vmKind', e.target.value as LookupFormValues['vmKind'])}
          label="VM given as"
          kinds={VM_KINDS}
        />
      </div>
      <div className="kp-row kp-row-network">
        <div className="kp-row kp-row-fields">
          <TextInput
            name="network"
            value={network}
            onChange={(e) => change('network', e.target.value)}
            inputRef={networkInput}
            label="Network"
            placeholder="netw_… or a permalink such as public"
            error={networkMessage !== undefined}
            helperText={networkMessage ?? detectedText(networkParsed.ok ? NETWORK_KIND_LABELS[networkParsed.kind] : undefined, networkKind)}
          />
          <KindSelect
            name="networkKind"
            value={networkKind}
            onChange={(e) => change('networkKind', e.target.value as LookupFormValues['networkKind'])}
            label="Network given as"
            kinds={NETWORK_KINDS}
          />
        </div>
        {/* Busy, but never disabled: a newer lookup may replace a slow one (Enter or click). */}
        <button
          type="submit"
          className="kp-button"
          aria-busy={busy}
          onPointerDown={(e) => {
            // Mouse only: a touch may turn into a scroll, and keys have no press before their click.
            if (!onPress || e.pointerType !== 'mouse' || e.button !== 0) return;
            const t = check(values).target;
            if (t) onPress(t);
          }}
        >
          {busy ? <span className="kp-spinner" aria-hidden /> : null}
          Look up
        </button>
      </div>
      {code === 'interface_not_found' ? null : (
        <NetworkChoices
          vm={pickerVm}
          current={networkParsed.ok ? networkParsed.value : undefined}
          onPick={(id) => submit({ ...values, network: id, networkKind: 'auto' })}
        />
      )}
    </form>
  );
}

interface TextInputProps {
  name: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  onBlur?: () => void;
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
  label: string;
  kinds: Record<string, string>;
}

/** "… given as": a native select (role combobox), so the first screen needs no menu component. */
function KindSelect({ label, kinds, ...select }: KindSelectProps) {
  const id = useId();
  return (
    <div className="kp-field kp-kind">
      <label className="kp-label" htmlFor={id}>
        {label}
      </label>
      <select {...select} id={id} className="kp-input kp-select">
        {Object.entries(kinds).map(([k, text]) => (
          <option key={k} value={k}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
