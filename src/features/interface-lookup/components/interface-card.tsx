import Typography from '@mui/material/Typography';
import { useEffect, useRef, type ReactNode } from 'react';
import type { LookupInterface } from '../../../api/types.ts';
import { formatSpeeds } from '../../../lib/format.ts';
import { isRateLimited, scheduledRetryMs } from '../../../lib/query-client.ts';
import { useCurrentSpeedProfile, useInterface } from '../use-lookup.ts';
import { panelLink } from '../../../lib/panel-link.ts';
import { usePanelConfig } from '../../../lib/panel-config.tsx';
import { lookupParams } from '../lookup-schema.ts';
import { InterfaceCardView } from './interface-card-view.tsx';
import { LookupError, RateLimitWait } from './lookup-error.tsx';
import type { LookupTarget } from '../../../api/refs.ts';

export interface InterfaceCardProps {
  /** The lookup to show (from the URL). */
  target: LookupTarget;
  /** Look up another target (a network the VM does have, offered after interface_not_found). */
  onLookup: (target: LookupTarget) => void;
  /** The speed-profile row's control for this interface (composed by the app). */
  speedProfileControl?: (iface: LookupInterface & { id: string }) => ReactNode;
  /** The IP address the lookup started from: the card's link is `?ip=`. */
  ip?: string | undefined;
  /** The card's foot for this interface (composed by the app). */
  footer?: (iface: LookupInterface & { id: string }) => ReactNode;
}

/**
 * The lookup's result: the card (its frame while the lookup runs), or the error with what the
 * lookup can offer. Focus moves to the card's heading when a new interface is shown.
 */
export function InterfaceCard({ target, ip, onLookup, speedProfileControl, footer }: InterfaceCardProps) {
  const { apiBase } = usePanelConfig();
  const lookup = useInterface(target);
  const iface = lookup.data;
  const { current, full, detail } = useCurrentSpeedProfile(iface?.id, target.vm);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!iface?.id || focusedFor.current === iface.id) return;
    focusedFor.current = iface.id;
    // Without scrolling: a task resumed after a reload has brought itself into view.
    headingRef.current?.focus({ preventScroll: true });
  }, [iface?.id]);

  if (lookup.isPending && lookup.failureReason && isRateLimited(lookup.failureReason)) {
    return (
      <RateLimitWait
        key={lookup.failureCount}
        error={lookup.failureReason}
        attempt={lookup.failureCount}
        waitMs={scheduledRetryMs(lookup)}
        onRetryNow={() => void lookup.refetch({ cancelRefetch: true })}
      />
    );
  }
  if (lookup.isError) {
    return <LookupError error={lookup.error} target={target} retrying={lookup.isFetching} onRetry={() => void lookup.refetch()} onLookup={onLookup} />;
  }
  const withId = iface?.id ? { ...iface, id: iface.id } : undefined;
  return (
    <InterfaceCardView
      iface={iface}
      headingRef={headingRef}
      link={panelLink(ip ? { ip } : lookupParams(target), apiBase)}
      speedProfile={current ? { name: current.name, speeds: full && formatSpeeds(full) } : undefined}
      speedProfilePending={!!iface?.id && detail.isPending}
      speedProfileControl={
        withId && speedProfileControl ? (
          speedProfileControl(withId)
        ) : iface && !iface.id ? (
          // A change needs the interface's id: say why none is offered rather than leaving a gap.
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Katapult did not report this interface’s id, so its speed profile cannot be changed here.
          </Typography>
        ) : null
      }
      footer={withId && footer ? footer(withId) : null}
    />
  );
}
