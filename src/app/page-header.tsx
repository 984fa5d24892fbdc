import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { useApi } from '../lib/panel-config.tsx';
import { panelInfoOptions } from '../api/panel-info.ts';

// Shown only once the server has said it answers from its mock: not part of the first screen's script.
const DemoChip = lazy(() => import('./demo-chip.tsx').then((m) => ({ default: m.DemoChip })));

/**
 * The page's header: where this is, its title, the "Demo data" marker when the server answers from
 * its mock, and what the page does. `nav` is where a second view (the audit log) adds its tabs.
 */
export function PageHeader({ nav }: { nav?: ReactNode }) {
  const info = useQuery(panelInfoOptions(useApi()));
  return (
    <Stack component="header" sx={{ gap: 0.5 }}>
      <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1.5 }}>
        Katapult · Support tools
      </Typography>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1.5, flexWrap: 'wrap' }}>
        <Typography component="h1" variant="h1">
          Network interface
        </Typography>
        {info.data?.mode === 'demo' ? (
          <Suspense>
            <DemoChip />
          </Suspense>
        ) : null}
      </Stack>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Look up a virtual machine’s interface on a network, and change its speed profile.
      </Typography>
      {nav}
    </Stack>
  );
}
