import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { AUDIT_OUTCOMES, type AuditQuery } from '../../../protocol/audit.ts';
import { auditListOptions, recentAuditOptions } from '../../api/audit.ts';
import { useApi } from '../../lib/panel-config.tsx';

/** What the outcome filter accepts: a stored outcome, or `not_seen` (pending or running). */
export const OUTCOME_FILTERS = [...AUDIT_OUTCOMES, 'not_seen'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

/** One page of the log; the previous page stays on screen while the next one loads. */
export function useAuditList(q: AuditQuery) {
  return useQuery({ ...auditListOptions(useApi(), q), placeholderData: keepPreviousData });
}

export function useRecentAudit(interfaceId: string) {
  return useQuery(recentAuditOptions(useApi(), interfaceId));
}
