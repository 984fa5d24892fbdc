import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { panelInfoOptions } from '../api/panel.ts';
import { useApi } from '../lib/panel-config.tsx';

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
          // Not a tab stop: the first key press on the page goes to the VM field.
          <Chip
            label="Demo data"
            size="small"
            color="warning"
            variant="outlined"
            title="No Katapult API is configured: answers come from the built-in mock."
          />
        ) : null}
      </Stack>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Look up a virtual machine’s interface on a network, and change its speed profile.
      </Typography>
      {nav}
    </Stack>
  );
}
