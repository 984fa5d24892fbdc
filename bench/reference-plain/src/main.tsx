/**
 * The bench's plain reference: the design card built with the panel's libraries and no care for
 * speed. MUI's default theme, the barrel import, full zod, react-hook-form, TanStack Query, one
 * chunk. Its lookup is a real request through the panel's server (bench/servers.ts forwards /api).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import {
  Alert, Box, Button, Card, CardContent, CssBaseline, Dialog, DialogActions, DialogContent, DialogTitle, FormControl,
  InputLabel, LinearProgress, MenuItem, Select, Stack, TextField, ThemeProvider, Typography, createTheme,
} from '@mui/material';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';

const schema = z.object({
  vm: z.string().trim().min(1, 'Enter a virtual machine'),
  network: z.string().trim().min(1, 'Enter a network'),
});
type Lookup = z.infer<typeof schema>;

const iface = z.object({
  name: z.string().optional(),
  mac_address: z.string().optional(),
  state: z.string().optional(),
  ip_addresses: z.array(z.object({ address: z.string().optional() })).optional(),
});
type Iface = z.infer<typeof iface>;

async function lookUp({ vm, network }: Lookup): Promise<Iface> {
  const q = new URLSearchParams();
  q.set(vm.startsWith('vm_') ? 'virtual_machine[id]' : 'virtual_machine[fqdn]', vm);
  q.set(/^net(w)?_/.test(network) ? 'network[id]' : 'network[permalink]', network);
  const res = await fetch(`/api/virtual_machines/virtual_machine/networks/network/interface?${q}`, {
    headers: { Accept: 'application/json', 'X-Katapult-Panel': '1' },
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return z.object({ virtual_machine_network_interface: iface }).parse(body).virtual_machine_network_interface;
}

const PROFILES = ['100 Mbps', '1 Gbps', '10 Gbps'];

function InterfaceCard({ target }: { target: Lookup }) {
  const { data, error, isPending } = useQuery({ queryKey: ['interface', target], queryFn: () => lookUp(target) });
  const [profile, setProfile] = useState('');
  const [open, setOpen] = useState(false);
  if (isPending) return <LinearProgress aria-label="Looking up" sx={{ mt: 3 }} />;
  if (error) return <Alert severity="error" sx={{ mt: 3 }}>{error.message}</Alert>;
  return (
    <Card component="section" aria-labelledby="card-title" sx={{ mt: 3 }}>
      <CardContent>
        <Typography id="card-title" variant="h6" component="h2">Network interface</Typography>
        <Typography>{data.name}</Typography>
        <Typography>MAC address: {data.mac_address}</Typography>
        <Typography>State: {data.state}</Typography>
        {data.ip_addresses?.map((ip) => <Typography key={ip.address}>{ip.address}</Typography>)}
        <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
          <FormControl sx={{ minWidth: 240 }}>
            <InputLabel id="profile-label">Speed profile</InputLabel>
            <Select labelId="profile-label" label="Speed profile" value={profile} onChange={(e) => setProfile(e.target.value)}>
              {PROFILES.map((p) => <MenuItem key={p} value={p}>{p}</MenuItem>)}
            </Select>
          </FormControl>
          <Button variant="outlined" disabled={!profile} onClick={() => setOpen(true)}>Change speed profile</Button>
        </Stack>
      </CardContent>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>Change to {profile}?</DialogTitle>
        <DialogContent>The interface’s speed changes at once.</DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" onClick={() => setOpen(false)}>Confirm</Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

function Plain() {
  const [target, setTarget] = useState<Lookup | null>(null);
  const { control, handleSubmit } = useForm<Lookup>({ resolver: zodResolver(schema), defaultValues: { vm: '', network: '' } });
  return (
    <Box sx={{ maxWidth: 900, mx: 'auto', p: 3 }}>
      <Typography variant="h5" component="h1" gutterBottom>Network interface</Typography>
      <Box component="form" noValidate onSubmit={handleSubmit(setTarget)} sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        {(['vm', 'network'] as const).map((name) => (
          <Controller key={name} name={name} control={control} render={({ field, fieldState }) => (
            <TextField {...field} label={name === 'vm' ? 'Virtual machine' : 'Network'} error={!!fieldState.error}
              helperText={fieldState.error?.message ?? (name === 'vm' ? 'vm_… or an FQDN' : 'netw_… or a permalink')} sx={{ flex: 1, minWidth: 200 }} />
          )} />
        ))}
        <Button type="submit" variant="contained" size="large" sx={{ height: 56 }}>Look up</Button>
      </Box>
      {target ? <InterfaceCard target={target} /> : null}
    </Box>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={new QueryClient()}>
      <ThemeProvider theme={createTheme()}>
        <CssBaseline />
        <Plain />
      </ThemeProvider>
    </QueryClientProvider>
  </StrictMode>,
);
