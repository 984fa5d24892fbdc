/**
 * Everything after the first screen: the lookup's result (card, speed profile, errors), the followed
 * tasks and the activity log, with MUI and its theme. A lazy chunk: the shell (app.tsx) paints the
 * first screen without it and asks for it at idle right after, so a lookup never waits for it.
 * The shell owns the data (queries, URL, tasks); these components only draw it.
 */
import Alert from '@mui/material/Alert';
import Link from '@mui/material/Link';
import type { UseQueryResult } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useRef } from 'react';
import type { ApiError } from '../api/api-error.ts';
import type { LookupInterface, Task } from '../api/types.ts';
import { ActivityLog } from '../features/activity-log/components/activity-log.tsx';
import type { ActivityEntry } from '../features/activity-log/activity-store.ts';
import { InterfaceCard } from '../features/interface-lookup/components/interface-card.tsx';
import { LookupError, RateLimitWait } from '../features/interface-lookup/components/lookup-error.tsx';
import type { LookupTarget } from '../features/interface-lookup/lookup-schema.ts';
import type { useInterfaceDetail } from '../features/speed-profile/api/get-interface-detail.ts';
import type { useSpeedProfiles } from '../features/speed-profile/api/get-speed-profiles.ts';
import { CurrentSpeedProfile } from '../features/speed-profile/components/current-speed-profile.tsx';
import { SpeedProfileForm, type StartedChange } from '../features/speed-profile/components/speed-profile-form.tsx';
import { formatSpeeds } from '../features/speed-profile/format-speed.ts';
import { TaskProgress } from '../features/tasks/components/task-progress.tsx';
import { locationSearch, type PanelLocation } from '../lib/url-state.ts';
import { Themed } from './themed.tsx';
import type { FollowedTask } from './use-followed-tasks.ts';

type SpeedProfiles = ReturnType<typeof useSpeedProfiles>['data'];
type SpeedProfile = NonNullable<SpeedProfiles>[number];
type Detail = ReturnType<typeof useInterfaceDetail>;

/** Where the change form goes while it is not drawn yet (the lookup under way, or its deferred render). */
const formPlaceholder = <span className="kp-skeleton" style={{ height: 56 }} aria-hidden />;

export interface ResultProps {
  target: LookupTarget | undefined;
  lookup: UseQueryResult<LookupInterface, ApiError>;
  detail: Detail;
  profiles: SpeedProfiles;
  profilesError: ApiError | null;
  locked: boolean;
  onLookup: (t: LookupTarget) => void;
  onStarted: (c: StartedChange) => void;
  onStale: () => void;
}

/** The lookup's result, inside the shell's aria-live region. Focus moves to the card's heading when an interface is shown. */
export function LookupResult({ target, lookup, detail, profiles, profilesError, locked, onLookup, onStarted, onStale }: ResultProps) {
  const iface = lookup.data;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!iface?.id || focusedFor.current === iface.id) return;
    focusedFor.current = iface.id;
    headingRef.current?.focus();
  }, [iface?.id]);
  // The change form comes right after the card, in a second, interruptible render: the card (what
  // support staff wait for) is committed on its own first.
  const formFor = useDeferredValue(iface?.id);

  const currentProfile = detail.data?.speed_profile;
  const currentProfileFull = profiles?.find((p: SpeedProfile) => p.id !== undefined && p.id === currentProfile?.id);

  return (
    <Themed baseline>
      {!target ? (
        <p className="kp-hint">Enter a virtual machine and a network to see its interface.</p>
      ) : lookup.isPending && lookup.failureReason?.code === 'rate_limit_reached' ? (
        <RateLimitWait
          key={lookup.failureCount}
          error={lookup.failureReason}
          attempt={lookup.failureCount}
          onRetryNow={() => void lookup.refetch({ cancelRefetch: true })}
        />
      ) : lookup.isError ? (
        <LookupError
          error={lookup.error}
          target={target}
          retrying={lookup.isFetching}
          onRetry={() => void lookup.refetch()}
          onLookup={onLookup}
        />
      ) : (
        // While the lookup runs (no interface yet), the card's frame, in the same place as the card:
        // the answer fills it in (see InterfaceCard).
        <div className="kp-stack kp-stack-2">
          <InterfaceCard
            iface={iface}
            headingRef={headingRef}
            speedProfileText={
              currentProfile?.name &&
              `${currentProfile.name}${currentProfileFull ? ` (${formatSpeeds(currentProfileFull)})` : ''}`
            }
            speedProfile={iface ? <CurrentSpeedProfile interfaceId={iface.id} profiles={profiles} /> : null}
          />
          {!iface || (iface.id && formFor !== iface.id) ? (
            formPlaceholder
          ) : iface.id ? (
            <SpeedProfileForm
              key={iface.id}
              interfaceId={iface.id}
              interfaceName={iface.name}
              vmName={iface.virtual_machine?.name}
              vmId={iface.virtual_machine?.id}
              currentProfileId={detail.data?.speed_profile?.id}
              currentProfileName={detail.data?.speed_profile?.name}
              currentPending={detail.isPending}
              profiles={profiles}
              profilesError={profilesError}
              locked={locked}
              onStarted={onStarted}
              onStale={onStale}
            />
          ) : (
            <Alert severity="warning">Katapult did not report this interface’s id, so its speed cannot be changed here.</Alert>
          )}
        </div>
      )}
    </Themed>
  );
}

export interface RestProps {
  tasks: FollowedTask[];
  isShown: (t: FollowedTask) => boolean;
  onFinished: (task: Task) => void;
  onDismiss: (taskId: string) => void;
  navigate: (to: PanelLocation) => void;
  entries: ActivityEntry[];
  onClearLog: () => void;
}

/** The followed tasks and the activity log, under the result. */
export function PanelRest({ tasks, isShown, onFinished, onDismiss, navigate, entries, onClearLog }: RestProps) {
  return (
    <Themed>
      {tasks.map((t) => (
        <TaskProgress
          key={t.taskId}
          taskId={t.taskId}
          summary={t.summary}
          initial={t.initial}
          onFinished={onFinished}
          onDismiss={() => onDismiss(t.taskId)}
        >
          {!isShown(t) ? (
            <Link
              href={locationSearch({ vm: t.vm, network: t.network, task: t.taskId }) || '?'}
              onClick={(e) => {
                e.preventDefault();
                navigate({ vm: t.vm, network: t.network, task: t.taskId });
              }}
            >
              Show {t.vm} on {t.network}
            </Link>
          ) : null}
        </TaskProgress>
      ))}
      <ActivityLog entries={entries} onOpen={navigate} onClear={onClearLog} />
    </Themed>
  );
}
