import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { zodResolver } from '@hookform/resolvers/zod';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import InputAdornment from '@mui/material/InputAdornment';
import InputLabel from '@mui/material/InputLabel';
import OutlinedInput from '@mui/material/OutlinedInput';
import Stack from '@mui/material/Stack';
import { lazy, Suspense, useEffect, useId, useMemo, useState } from 'react';
import { Controller, FormProvider, useForm, useFormContext, useWatch, type Control } from 'react-hook-form';
import ArrowDropDownIcon from '@mui/icons-material/ArrowDropDown';
import { isVmName, lookupFormSchema, NETWORK_KIND_LABELS, parseNetwork, parseVm, VM_FIELD_LABELS, VM_KIND_LABELS, type LookupFormValues, type LookupRequest } from '../lookup-schema.ts';
import type { LookupTarget, VmRef } from '../../../api/refs.ts';
import { useQueryClient } from '@tanstack/react-query';
import { organizationVmsOptions, vmNetworksOptions } from '../../../api/vm.ts';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { ApiError } from '../../../api/api-error.ts';
import { matchVmsByName, type NamedVm } from '../vm-by-name.ts';
import { useApi } from '../../../lib/panel-config.tsx';
import { vmNetworkChoices } from '../vm-networks.ts';

// Not on the first screen: the VM's networks come once a VM is entered, the "given as" list when its button is pressed.
const NetworkChoices = lazy(() => import('./network-choices.tsx').then((m) => ({ default: m.NetworkChoices })));
const KindMenuList = lazy(() => import('./kind-menu-list.tsx').then((m) => ({ default: m.KindMenuList })));

export interface LookupFormProps {
  /** The fields as the URL gives them (the route's parse): a deep link, reload or back/forward puts them in the form. */
  fields: LookupFormValues;
  /** The lookup being shown (from the URL), if the URL holds a valid one. */
  target?: LookupTarget | undefined;
  busy: boolean;
  onSubmit: (target: LookupRequest) => void;
  /** The lookup's error: a 404 for the VM or the network is shown on that field while it holds the value looked up. */
  lookupError?: ApiError | null | undefined;
  /** The network (or virtual network) id of the interface shown: marks its choice however the network was typed. */
  shownNetworkId?: string | undefined;
}

type FormControl = Control<LookupFormValues, unknown, LookupRequest>;

/** What tells the two fields apart. */
interface FieldSpec {
  name: 'vm' | 'network';
  kindName: 'vmKind' | 'networkKind';
  label: string;
  placeholder: string;
  menuLabel: string;
  kinds: Record<string, string>;
}

const VM_FIELD: FieldSpec = {
  name: 'vm',
  kindName: 'vmKind',
  label: 'Virtual machine',
  placeholder: 'vm_… or name.example.katapult.cloud',
  menuLabel: 'VM given as',
  kinds: { auto: 'Detect', ...VM_KIND_LABELS },
};
const NETWORK_FIELD: FieldSpec = {
  name: 'network',
  kindName: 'networkKind',
  label: 'Network',
  placeholder: 'netw_… or a permalink such as public',
  menuLabel: 'Network given as',
  kinds: { auto: 'Detect', ...NETWORK_KIND_LABELS },
};

/** The hint under a valid field: the detected (or chosen) kind. */
const detectedText = (label: string | undefined, choice: string) =>
  label ? `${choice === 'auto' ? 'Detected' : 'Given as'}: ${label}` : ' ';

/**
 * The lookup form: react-hook-form with the zod schema (lookupFormSchema) as its resolver, checked
 * on submit and then on every change; the first field in error takes the focus.
 */
export function LookupForm({ fields: fromUrl, target, busy, onSubmit, lookupError, shownNetworkId }: LookupFormProps) {
  const { autoFocus } = usePanelConfig();
  const form = useForm<LookupFormValues, unknown, LookupRequest>({
    resolver: zodResolver(lookupFormSchema),
    defaultValues: fromUrl,
    // The URL changed (back/forward, a link from the log): its values replace the form's.
    values: fromUrl,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { control, handleSubmit, setFocus, trigger, setValue, getValues, setError } = form;
  const queryClient = useQueryClient();
  const api = useApi();
  const [vm, vmKind, network, networkKind] = useWatch({ control, name: ['vm', 'vmKind', 'network', 'networkKind'] });
  // The hints under the fields: checked when a field's value or kind changes, not on every render.
  const vmParsed = useMemo(() => parseVm(vm, vmKind), [vm, vmKind]);
  const networkParsed = useMemo(() => parseNetwork(network, networkKind), [network, networkKind]);

  const submit = handleSubmit((t) => onSubmit(t));

  /*
   * A VM given alone: if its interfaces are all on one network, that is the one looked up; on
   * several, the form asks which (the VM's networks, as a question rather than a red error).
   * Anything else (no VM found, no interface) goes through the usual check, which says what is missing.
   */
  const [askingFor, setAskingFor] = useState<string | undefined>(undefined);
  const lookUpVmAlone = async (vm: VmRef) => {
    try {
      const choices = vmNetworkChoices(await queryClient.fetchQuery(vmNetworksOptions(api, vm)));
      const only = choices.length === 1 ? choices[0] : undefined;
      if (only) {
        setValue('network', only.id);
        setValue('networkKind', 'auto');
      } else if (choices.length > 1) {
        setAskingFor(vm.value);
        return;
      }
    } catch {
      /* the usual check below names the missing network; the lookup names a missing VM */
    }
    await submit();
  };
  /*
   * A VM's name within an organization: the organization's VMs (every page, cached) are matched by
   * name or short hostname; one match goes on as its id, several are offered, none is said on the field.
   */
  const [vmChoices, setVmChoices] = useState<{ typed: string; org: string; vms: NamedVm[] } | undefined>(undefined);
  const goOnWithVm = async (id: string) => {
    setVmChoices(undefined);
    setValue('vm', id);
    setValue('vmKind', 'auto');
    if (getValues('network').trim() === '') await lookUpVmAlone({ kind: 'id', value: id });
    else await submit();
  };
  const lookUpByName = async (org: string, typed: string) => {
    let vms: NamedVm[];
    try {
      vms = await queryClient.fetchQuery(organizationVmsOptions(api, org));
    } catch (e) {
      const code = e instanceof ApiError ? e.code : undefined;
      setError('org', {
        message: code === 'organization_not_found' ? `Katapult has no organization ${org} (organization_not_found).` : `The organization’s VMs could not be listed${code ? ` (${code})` : ''}.`,
      });
      return;
    }
    const matches = matchVmsByName(vms, typed).filter((v) => v.id);
    const only = matches.length === 1 ? matches[0]?.id : undefined;
    if (only) await goOnWithVm(only);
    else if (matches.length > 1) setVmChoices({ typed: typed.trim(), org, vms: matches });
    else setError('vm', { message: `No VM in ${org} is called ${typed.trim()} (by name or short hostname).` });
  };
  const vmByName = (vmValue: string, orgValue: string | undefined) => (orgValue?.trim() && isVmName(vmValue) ? orgValue.trim() : undefined);

  const vmAlone = (vmValue: string, kindChoice: LookupFormValues['vmKind'], networkValue: string): VmRef | undefined => {
    const parsed = parseVm(vmValue, kindChoice);
    return networkValue.trim() === '' && parsed.ok && parsed.kind !== 'ip' ? { kind: parsed.kind, value: parsed.value } : undefined;
  };

  // A link whose values are not valid says why, on the fields; a link with a VM alone, or a VM's name in an organization, is looked up as one.
  const linkGiven = fromUrl.vm !== '' || fromUrl.network !== '';
  const linkVmAlone = linkGiven && !target ? vmAlone(fromUrl.vm, fromUrl.vmKind, fromUrl.network) : undefined;
  const linkOrg = linkGiven && !target ? vmByName(fromUrl.vm, fromUrl.org) : undefined;
  useEffect(() => {
    // The state is set once Katapult answers (the organization's VMs, the VM's networks): a subscription to an outside answer.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (linkOrg) void lookUpByName(linkOrg, fromUrl.vm);
    else if (linkVmAlone) void lookUpVmAlone(linkVmAlone);
    else if (linkGiven && !target) void trigger();
    // Once per link: the VM alone is looked up when the URL brings it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkGiven, target, trigger, linkVmAlone?.kind, linkVmAlone?.value, linkOrg, fromUrl.vm]);

  // Katapult's 404 for the VM or network stays on that field while it holds the value that was looked up.
  const code = lookupError?.code;
  const vmNotFound = code === 'virtual_machine_not_found' && target && vmParsed.ok && vmParsed.value === target.vm.value;
  const networkNotFound = code === 'network_not_found' && target && networkParsed.ok && networkParsed.value === target.network.value;
  const serverVm = vmNotFound
    ? `Katapult has no virtual machine with this ${target.vm.kind === 'id' ? 'id' : 'FQDN'} (virtual_machine_not_found).`
    : undefined;
  const serverNetwork = networkNotFound
    ? `Katapult has no network with this ${target.network.kind === 'id' ? 'id' : 'permalink'} (network_not_found).`
    : undefined;
  useEffect(() => {
    if (code === 'virtual_machine_not_found') setFocus('vm');
    else if (code === 'network_not_found') setFocus('network');
  }, [lookupError, code, setFocus]);

  // The VM's networks are offered once a VM is entered: when the field is left, or from the URL.
  const [leftVm, setLeftVm] = useState<string | undefined>(undefined);
  const urlVm = useMemo(() => parseVm(fromUrl.vm, fromUrl.vmKind), [fromUrl.vm, fromUrl.vmKind]);
  const asking = vmParsed.ok && askingFor === vmParsed.value && network.trim() === '';
  const pickerVm =
    vmParsed.ok && vmParsed.kind !== 'ip' && (asking || vmParsed.value === leftVm || (urlVm.ok && urlVm.value === vmParsed.value))
      ? { kind: vmParsed.kind, value: vmParsed.value }
      : undefined;
  const onFormSubmit = (e: React.FormEvent) => {
    const org = vmByName(getValues('vm'), getValues('org'));
    if (org) {
      e.preventDefault();
      void lookUpByName(org, getValues('vm'));
      return;
    }
    const alone = vmAlone(getValues('vm'), getValues('vmKind'), getValues('network'));
    if (alone) {
      e.preventDefault();
      void lookUpVmAlone(alone);
    } else void submit(e);
  };
  return (
    <FormProvider {...form}>
      {/* A real GET form: submitted before the scripts have run (the prerendered page), it arrives as the deep link `?vm=&network=`. */}
      <Stack
        component="form"
        method="get"
        action="./"
        noValidate
        aria-label="Look up an interface"
        onSubmit={onFormSubmit}
        sx={{ gap: 1 }}
      >
        <Stack direction={{ xs: 'column', md: 'row' }} sx={{ gap: 1.5, alignItems: { md: 'flex-start' } }}>
          <LookupField
            spec={VM_FIELD}
            autoFocus={autoFocus && !linkGiven}
            serverMessage={serverVm}
            hint={
              vmParsed.ok && vmParsed.prefixLength
                ? `Looked up as ${vmParsed.value} (the /${vmParsed.prefixLength} prefix length is ignored)`
                : detectedText(vmParsed.ok ? VM_FIELD_LABELS[vmParsed.kind] : undefined, vmKind)
            }
            onLeave={() => setLeftVm(vmParsed.ok ? vmParsed.value : undefined)}
          />
          <LookupField
            spec={NETWORK_FIELD}
            serverMessage={serverNetwork}
            hint={detectedText(networkParsed.ok ? NETWORK_KIND_LABELS[networkParsed.kind] : undefined, networkKind)}
          />
          {/* After the two fields the contract names: the VM stays the first field, and the organization is optional. */}
          <OrgField />
          {/* Busy, but never disabled: a newer lookup may replace a slow one (Enter or click). */}
          <Button
            type="submit"
            variant="contained"
            aria-busy={busy}
            startIcon={busy ? <CircularProgress size={16} color="inherit" aria-hidden /> : undefined}
            sx={{ flexShrink: 0, minWidth: 112, height: 40 }}
          >
            Look up
          </Button>
        </Stack>
        {vmChoices && vm.trim() === vmChoices.typed ? (
          <Stack role="group" aria-label="Virtual machines with this name" direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {`Several VMs in ${vmChoices.org} are called ${vmChoices.typed}. Which one?`}
            </Typography>
            {vmChoices.vms.map((v) => (
              <Chip key={v.id} size="small" variant="outlined" label={`${v.name ?? v.id} · ${v.fqdn ?? v.hostname ?? v.id}`} title={v.id} onClick={() => v.id && void goOnWithVm(v.id)} />
            ))}
          </Stack>
        ) : null}
        {code === 'interface_not_found' || !pickerVm ? null : (
          <Suspense>
            <NetworkChoices
              vm={pickerVm}
              intro={asking ? 'This VM is on several networks. Which one?' : undefined}
              current={networkParsed.ok ? { ...networkParsed, id: target && networkParsed.value === target.network.value ? shownNetworkId : undefined } : undefined}
              onPick={(id) => {
                setValue('network', id);
                setValue('networkKind', 'auto');
                void submit();
              }}
            />
          </Suspense>
        )}
      </Stack>
    </FormProvider>
  );
}

/** The customer's organization, optional: with it the VM field takes a VM's name or short hostname. */
function OrgField() {
  const { control } = useFormContext<LookupFormValues, unknown, LookupRequest>();
  const id = useId();
  return (
    <Controller
      name="org"
      control={control}
      render={({ field: { ref, value, ...field }, fieldState }) => (
        <FormControl size="small" fullWidth error={fieldState.error !== undefined} sx={{ maxWidth: { md: 180, lg: 220 } }}>
          <InputLabel htmlFor={id}>Organization</InputLabel>
          <OutlinedInput
            {...field}
            // Unnamed in the HTML: the script-less GET form keeps sending exactly `?vm=&network=`.
            name={undefined}
            value={value ?? ''}
            id={id}
            inputRef={ref}
            label="Organization"
            placeholder="acme or org_…"
            autoComplete="off"
            aria-describedby={`${id}-helper-text`}
            slotProps={{ input: { spellCheck: false } }}
          />
          <FormHelperText id={`${id}-helper-text`}>{fieldState.error?.message ?? 'Optional: VM by name'}</FormHelperText>
        </FormControl>
      )}
    />
  );
}

interface LookupFieldProps {
  spec: FieldSpec;
  /** Katapult's 404 for this field's value. */
  serverMessage: string | undefined;
  /** What was detected, shown while there is no error. */
  hint: string;
  onLeave?: () => void;
  /** Focused when the form first shows (a fresh page: nothing looked up yet). */
  autoFocus?: boolean | undefined;
}

/**
 * A lookup field: its message (the form's, else Katapult's 404) hides the hint; "Given as" at its end.
 * Built from TextField's own parts (FormControl, InputLabel, OutlinedInput, FormHelperText), as MUI
 * documents, because TextField also brings its Select and menus into the first screen's scripts.
 */
function LookupField({ spec, serverMessage, hint, onLeave, autoFocus }: LookupFieldProps) {
  const { control, trigger, getValues } = useFormContext<LookupFormValues, unknown, LookupRequest>();
  const id = useId();
  const helperId = `${id}-helper-text`;
  return (
    <Controller
      name={spec.name}
      control={control}
      render={({ field: { ref, ...field }, fieldState }) => {
        const message = fieldState.error?.message ?? serverMessage;
        return (
          <FormControl size="small" fullWidth error={message !== undefined}>
            <InputLabel htmlFor={id}>{spec.label}</InputLabel>
            <OutlinedInput
              {...field}
              id={id}
              inputRef={ref}
              autoFocus={autoFocus}
              onBlur={() => {
                field.onBlur();
                onLeave?.();
              }}
              label={spec.label}
              placeholder={spec.placeholder}
              autoComplete="off"
              aria-describedby={helperId}
              slotProps={{ input: { spellCheck: false, sx: { fontFamily: 'monospace' } } }}
              endAdornment={
                <KindMenu
                  control={control}
                  name={spec.kindName}
                  label={spec.menuLabel}
                  kinds={spec.kinds}
                  // A value already typed is checked again for the kind now insisted on.
                  onPicked={() => void (getValues(spec.name) && trigger(spec.name))}
                />
              }
            />
            <FormHelperText id={helperId}>{message ?? hint}</FormHelperText>
          </FormControl>
        );
      }}
    />
  );
}

interface KindMenuProps {
  control: FormControl;
  name: 'vmKind' | 'networkKind';
  label: string;
  kinds: Record<string, string>;
  onPicked: () => void;
}

/** "Given as", folded into the field: a small menu button at its end (Detect, or a kind to insist on). */
function KindMenu({ control, name, label, kinds, onPicked }: KindMenuProps) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  // The list is loaded on the first press, then stays mounted so that it closes with its transition.
  const [wanted, setWanted] = useState(false);
  return (
    <Controller
      name={name}
      control={control}
      render={({ field }) => (
        <InputAdornment position="end">
          <Button
            size="small"
            color="inherit"
            aria-label={`${label}: ${kinds[field.value] ?? field.value}`}
            aria-haspopup="menu"
            aria-expanded={anchor !== null}
            endIcon={<ArrowDropDownIcon />}
            onClick={(e) => {
              setWanted(true);
              setAnchor(e.currentTarget);
            }}
            sx={{ color: 'text.secondary', fontWeight: 500, whiteSpace: 'nowrap', mr: -1 }}
          >
            {kinds[field.value]}
          </Button>
          {wanted ? (
            <Suspense>
              <KindMenuList
                anchor={anchor}
                label={label}
                kinds={kinds}
                value={field.value}
                onClose={() => setAnchor(null)}
                onPick={(k) => {
                  field.onChange(k);
                  setAnchor(null);
                  onPicked();
                }}
              />
            </Suspense>
          ) : null}
        </InputAdornment>
      )}
    />
  );
}
