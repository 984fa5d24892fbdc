/**
 * Who may change speed profiles (CHANGE_GROUPS, from the portal's trusted headers). `mayChange` is
 * the change route's first `preHandler` (server/changes/route-hooks.ts puts it there): a speed
 * change by anyone else is refused with 403 change_not_permitted before anything reaches Katapult
 * or takes a lock, and the refusal is recorded in the audit log (outcome `rejected`). GET
 * /api/panel/me tells the panel who the member is and whether they may change, so it can say so
 * before anyone presses the button.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CHANGE_NOT_PERMITTED, ME_PATH, type ChangeNotPermittedDetail } from '../../protocol/panel.ts';
import { changePermission, type PermissionConfig } from '../audit/permission.ts';
import { createChangeAudit } from '../audit/proxy-audit.ts';
import type { AuditStore } from '../audit/store.ts';
import { katapultError } from '../http-errors.ts';

/** The change route's `preHandler`: 403 for a member outside CHANGE_GROUPS; without a store (tests of the proxy alone) not recorded. */
export function mayChange(config: PermissionConfig, store: AuditStore | undefined) {
  const audit = store && createChangeAudit(store, { trustedUserHeader: config.trustedUserHeader, demoUser: config.demoUser });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const me = changePermission(request.headers, config);
    if (me.may_change) return;
    try {
      const id = await audit?.refused(request, request.katapultCall!.body!, CHANGE_NOT_PERMITTED);
      if (id) request.log = request.log.child({ auditId: id });
    } catch (e) {
      // Nothing was changed, so the refusal stands even when it cannot be recorded.
      request.log.error({ err: e }, 'audit: a refused change could not be recorded');
    }
    const detail: ChangeNotPermittedDetail = { user: me.user, groups: me.groups, change_groups: me.change_groups ?? [] };
    return reply
      .code(403)
      .header('cache-control', 'no-store')
      .send(katapultError(CHANGE_NOT_PERMITTED, me.reason ?? 'You may not change speed profiles.', { ...detail }));
  };
}

/** GET /api/panel/me. No fastify-plugin: nothing here is for another plugin. */
export async function permission(app: FastifyInstance, { config }: { config: PermissionConfig }) {
  app.get(ME_PATH, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return changePermission(req.headers, config);
  });
}
