import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, type ReactNode } from 'react';
import { useCompact } from '../lib/density.ts';
import { useApi } from '../lib/panel-config.tsx';
import { panelInfoOptions } from '../api/panel-info.ts';
import { meOptions } from '../api/me.ts';

// Shown only once the server has said it answers from its mock: not part of the first screen's script.
const DemoChip = lazy(() => import('./demo-chip.tsx').then((m) => ({ default: m.DemoChip })));

/**
 * The page's header: where this is, its title, the "Demo data" marker when the server answers from
 * its mock, and what the page does. `nav` is where a second view (the audit log) adds its tabs.
 */
export function PageHeader({ nav }: { nav?: ReactNode }) {
  const api = useApi();
  const info = useQuery(panelInfoOptions(api));
  const compact = useCompact();
  const title = (
    <Typography component="h1" variant={compact ? 'h2' : 'h1'} sx={{ flexShrink: 0, ...(compact ? { whiteSpace: 'nowrap' } : {}) }}>
      Network interface
    </Typography>
  );
  const demo =
    info.data?.mode === 'demo' ? (
      <Suspense>
        <DemoChip />
      </Suspense>
    ) : null;
  if (compact) {
    // One line for a short pane: the title, who is signed in, then the view tabs.
    return (
      <Stack component="header" direction="row" sx={{ alignItems: 'center', columnGap: 1.5, borderBottom: 1, borderColor: 'divider' }}>
        {title}
        {demo}
        <SignedIn />
        <Box sx={{ ml: 'auto', flexShrink: 0, '& .MuiTabs-root': { mt: 0, borderBottom: 0, minHeight: 40 }, '& .MuiTab-root': { minHeight: 40, py: 0 } }}>{nav}</Box>
      </Stack>
    );
  }
  return (
    <Stack component="header" sx={{ gap: 0.5 }}>
      <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1.5 }}>
        Katapult · Support tools
      </Typography>
      <Stack direction="row" sx={{ alignItems: 'center', gap: 1.5 }}>
        {title}
        {demo}
        <SignedIn />
      </Stack>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        Look up a virtual machine’s interface on a network, and change its speed profile.
      </Typography>
      {nav}
    </Stack>
  );
}

/**
 * Who the server takes the user to be (GET /api/panel/me) and whether they may change speed profiles.
 * It arrives after the page is drawn: one line, cut short with its full text as a tooltip, so that it
 * never wraps the header and moves the panel under a press already on its way (a portal's user
 * names are long).
 */
function SignedIn() {
  const me = useQuery(meOptions(useApi())).data;
  if (!me) return null;
  const text = `Signed in as ${me.user ?? 'an unnamed user (the portal sends no name)'} · ${me.may_change ? 'may change speed profiles' : 'view only'}`;
  return (
    <Typography variant="body2" noWrap title={text} sx={{ color: 'text.secondary', minWidth: 0 }}>
      {text}
    </Typography>
  );
}
