import { zodResolver } from '@hookform/resolvers/zod';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { useVmNetworks } from '../api/get-vm-networks.ts';
import {
  lookupFormSchema,
  parseNetwork,
  parseVm,
  type LookupFormValues,
  type LookupTarget,
} from '../lookup-schema.ts';

export interface LookupFormProps {
  initial: { vm: string; network: string };
  busy: boolean;
  onSubmit: (target: LookupTarget) => void;
  /** Server-side answers that belong to one field (404 virtual_machine_not_found / network_not_found). */
  fieldErrors?: { vm?: string | undefined; network?: string | undefined } | undefined;
}

const VM_KINDS = { auto: 'Detect', id: 'VM id', fqdn: 'FQDN' } as const;
const NETWORK_KINDS = { auto: 'Detect', id: 'Network id', permalink: 'Permalink' } as const;

export function LookupForm({ initial, busy, onSubmit, fieldErrors }: LookupFormProps) {
  const { control, handleSubmit, setValue, reset, formState } = useForm<LookupFormValues, unknown, LookupTarget>({
    resolver: zodResolver(lookupFormSchema),
    defaultValues: { vm: initial.vm, vmKind: 'auto', network: initial.network, networkKind: 'auto' },
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  // A deep link or back/forward changes what the form should show.
  useEffect(() => {
    reset({ vm: initial.vm, vmKind: 'auto', network: initial.network, networkKind: 'auto' });
  }, [initial.vm, initial.network, reset]);

  const [vm, vmKind, network, networkKind] = useWatch({ control, name: ['vm', 'vmKind', 'network', 'networkKind'] });
  const vmParsed = parseVm(vm, vmKind);
  const networkParsed = parseNetwork(network, networkKind);
  const [pickerVm, setPickerVm] = useState<LookupTarget['vm'] | undefined>(undefined);
  const networks = useVmNetworks(pickerVm);

  const submit = handleSubmit((t) => {
    setPickerVm(t.vm);
    onSubmit(t);
  });

  const detected = (ok: boolean, kind: string, choice: string) =>
    ok ? `${choice === 'auto' ? 'Detected' : 'Using'}: ${kind}` : ' ';

  return (
    <Box component="form" noValidate onSubmit={(e) => void submit(e)} aria-label="Look up an interface">
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'flex-start' } }}>
        <Stack direction="row" spacing={1} sx={{ flex: 1, minWidth: 0 }}>
          <Controller
            name="vm"
            control={control}
            render={({ field, fieldState }) => {
              const message = fieldState.error?.message ?? fieldErrors?.vm;
              return (
                <TextField
                  {...field}
                  label="Virtual machine"
                  placeholder="vm_… or name.example.katapult.cloud"
                  autoComplete="off"
                  spellCheck={false}
                  fullWidth
                  error={message !== undefined}
                  helperText={message ?? detected(vmParsed.ok, vmParsed.ok ? VM_KINDS[vmParsed.kind] : '', vmKind)}
                  onBlur={() => {
                    field.onBlur();
                    if (vmParsed.ok) setPickerVm({ kind: vmParsed.kind, value: vmParsed.value });
                  }}
                />
              );
            }}
          />
          <Controller
            name="vmKind"
            control={control}
            render={({ field }) => (
              <TextField {...field} select label="VM given as" sx={{ width: 120, flexShrink: 0 }}>
                {Object.entries(VM_KINDS).map(([k, label]) => (
                  <MenuItem key={k} value={k}>
                    {label}
                  </MenuItem>
                ))}
              </TextField>
            )}
          />
        </Stack>
        <Stack direction="row" spacing={1} sx={{ flex: 1, minWidth: 0 }}>
          <Controller
            name="network"
            control={control}
            render={({ field, fieldState }) => {
              const message = fieldState.error?.message ?? fieldErrors?.network;
              return (
                <TextField
                  {...field}
                  label="Network"
                  placeholder="netw_… or a permalink such as public"
                  autoComplete="off"
                  spellCheck={false}
                  fullWidth
                  error={message !== undefined}
                  helperText={
                    message ??
                    detected(networkParsed.ok, networkParsed.ok ? NETWORK_KINDS[networkParsed.kind] : '', networkKind)
                  }
                />
              );
            }}
          />
          <Controller
            name="networkKind"
            control={control}
            render={({ field }) => (
              <TextField {...field} select label="Network given as" sx={{ width: 130, flexShrink: 0 }}>
                {Object.entries(NETWORK_KINDS).map(([k, label]) => (
                  <MenuItem key={k} value={k}>
                    {label}
                  </MenuItem>
                ))}
              </TextField>
            )}
          />
        </Stack>
        <Button type="submit" variant="contained" size="large" loading={busy} sx={{ minWidth: 120, height: 56 }}>
          Look up
        </Button>
      </Stack>
      {networks.data && networks.data.length > 0 ? (
        <Box sx={{ mt: 1 }} role="group" aria-label="Networks of this VM">
          <Typography component="span" variant="body2" sx={{ mr: 1, color: 'text.secondary' }}>
            This VM is on:
          </Typography>
          {networks.data.map((nic) => {
            const net = nic.network ?? nic.virtual_network;
            if (!net?.id) return null;
            const id = net.id;
            return (
              <Chip
                key={nic.id ?? id}
                label={`${net.name ?? id} (${nic.name ?? 'interface'})`}
                size="small"
                onClick={() => {
                  setValue('network', id, { shouldValidate: formState.isSubmitted });
                  setValue('networkKind', 'auto');
                  void submit();
                }}
                sx={{ mr: 0.5, mb: 0.5 }}
              />
            );
          })}
        </Box>
      ) : null}
    </Box>
  );
}
