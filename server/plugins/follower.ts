/**
 * The follower's life with the server's (server/changes/follower.ts): it starts when the server is
 * ready, resuming every open change (those of a server that stopped are claimed once their lease
 * ran out), and stops when it closes, giving its leases up; then the audit store is closed. Also
 * gives /metrics the audit's counts and the follower's lag.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditStore } from '../audit/store.ts';
import type { Follower } from '../changes/follower.ts';

declare module 'fastify' {
  interface FastifyInstance {
    panelFollower: Follower;
  }
}

export interface FollowerPluginOptions {
  follower: Follower;
  store: AuditStore;
  /** `manual`: the follower looks only when a test calls `app.panelFollower.tick()`. */
  mode?: 'auto' | 'manual' | undefined;
}

// fastify-plugin: `panelFollower` must reach the root instance, where tests run its rounds.
export const follower = fp(
  async (app: FastifyInstance, { follower, store, mode }: FollowerPluginOptions) => {
    app.decorate('panelFollower', follower);
    app.panelMetrics.observeAudit({
      countByOutcome: () => store.countByOutcome(),
      countFollowed: () => store.countFollowed(),
      lagMs: () => follower.stats.lagMs,
    });
    app.addHook('onReady', async () => {
      if (mode !== 'manual') follower.start();
    });
    app.addHook('onClose', async () => {
      await follower.stop();
      await store.close();
    });
  },
  { name: 'panel-follower', dependencies: ['panel-metrics'] },
);
