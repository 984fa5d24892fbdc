import type { SpeedProfile } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Value } from '../../../components/value.tsx';
import { useInterfaceDetail } from '../api/get-interface-detail.ts';
import { formatSpeeds } from '../format-speed.ts';

export interface CurrentSpeedProfileProps {
  interfaceId: string | undefined;
  /** The organization's profiles, when loaded: they carry the upload/download speeds. */
  profiles: SpeedProfile[] | undefined;
}

export function CurrentSpeedProfile({ interfaceId, profiles }: CurrentSpeedProfileProps) {
  const detail = useInterfaceDetail(interfaceId);
  if (!interfaceId) return <Value>{undefined}</Value>;
  if (detail.isPending)
    return (
      <span className="kp-skeleton kp-skeleton-text">
        <span className="kp-sr-only">Loading the current speed profile</span>
      </span>
    );
  if (detail.isError) return <ErrorAlert error={detail.error} />;
  const current = detail.data.speed_profile;
  const full = profiles?.find((p) => p.id !== undefined && p.id === current?.id);
  return (
    <span aria-busy={detail.isFetching}>
      <Value>{current?.name}</Value>
      {full ? <span className="kp-secondary"> ({formatSpeeds(full)})</span> : null}
    </span>
  );
}
