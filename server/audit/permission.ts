/**
 * Who may change speed profiles: everyone, unless CHANGE_GROUPS names the groups whose members may.
 * The user and groups come only from the portal's trusted headers (context.ts), never from the browser.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PanelMe } from '../../protocol/panel.ts';
import type { AuditConfig } from './config.ts';
import { groupsOf, UNKNOWN_USER, userOf, type DemoUser } from './context.ts';

export type PermissionConfig = Pick<AuditConfig, 'trustedUserHeader' | 'trustedGroupsHeader' | 'changeGroups'> & { demoUser?: DemoUser | undefined };

export function changePermission(headers: IncomingHttpHeaders, config: PermissionConfig): PanelMe {
  const named = userOf(headers, config.trustedUserHeader, config.demoUser);
  const user = named === UNKNOWN_USER ? null : named;
  const groups = groupsOf(headers, config.trustedGroupsHeader);
  const allowed = config.changeGroups;
  if (!allowed) return { user, groups, may_change: true, reason: null, change_groups: null };
  if (groups.some((g) => allowed.includes(g))) return { user, groups, may_change: true, reason: null, change_groups: allowed };
  const yours = groups.length ? `your groups (${groups.join(', ')}) are not among them` : 'the portal named no groups for you';
  return {
    user,
    groups,
    may_change: false,
    reason: `Only members of ${allowed.join(', ')} may change speed profiles; ${yours}.`,
    change_groups: allowed,
  };
}
