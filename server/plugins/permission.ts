/**
 * Who may change speed profiles (CHANGE_GROUPS, from the portal's trusted headers). A speed change by
 * anyone else is refused with 403 change_not_permitted before anything reaches Katapult, and the
 * refusal is recorded in the audit log (outcome `rejected`). GET /api/panel/me tells the panel who
 * the member is and whether they may change, so it can say so before anyone presses the button.
 * Registered before the audit plugin: its hook runs first, so a refused change takes no lock.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CHANGE_NOT_PERMITTED, ME_PATH, type ChangeNotPermittedDetail } from '../../protocol/panel.ts';
import { changePermission, type PermissionConfig } from '../audit/permission.ts';
import { createChangeAudit } from '../audit/proxy-audit.ts';
import type { AuditStore } from '../audit/store.ts';
import { katapultError } from '../http-errors.ts';

export interface PermissionOptions {
  config: PermissionConfig;
  /** Where refusals are recorded; without one (tests of the proxy alone) they are only answered. */
  store: AuditStore | undefined;
}

export const permission = fp(
  async (app: FastifyInstance, { config, store }: PermissionOptions) => {
    const audit = store && createChangeAudit(store, { trustedUserHeader: config.trustedUserHeader, demoUser: config.demoUser });

    app.panelProxy.beforeForward(async ({ request, body }) => {
      const me = changePermission(request.headers, config);
      if (me.may_change) return;
      try {
        const id = await audit?.refused(request, body, CHANGE_NOT_PERMITTED);
        if (id) request.log = request.log.child({ auditId: id });
      } catch (e) {
        // Nothing was changed, so the refusal stands even when it cannot be recorded.
        request.log.error({ err: e }, 'audit: a refused change could not be recorded');
      }
      const detail: ChangeNotPermittedDetail = { user: me.user, groups: me.groups, change_groups: me.change_groups ?? [] };
      return { status: 403, body: katapultError(CHANGE_NOT_PERMITTED, me.reason ?? 'You may not change speed profiles.', { ...detail }) };
    });

    app.get(ME_PATH, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return changePermission(req.headers, config);
    });
  },
  { name: 'panel-permission', dependencies: ['panel-proxy'] },
);
