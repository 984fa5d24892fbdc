/**
 * Liveness (/healthz), readiness (/readyz) and the UI's runtime config. Readiness says whether the
 * server can take calls: not when the proxy's queue is full, nor (live mode) when Katapult cannot
 * be reached. Any HTTP answer below 500 counts as reachable (no token is sent, so a 4xx is
 * expected); the verdict is reused for READY_CACHE_MS, so a busy probe never becomes load on Katapult.
 */
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';

export const READY_CACHE_MS = 10_000;

type Reachability = { ready: boolean; upstreamStatus?: number; reason?: string };

export interface HealthOptions {
  mode: 'demo' | 'live';
  /** Katapult's base URL, probed in live mode. */
  upstreamBase: string;
  probeTimeoutMs: number;
  /** FRAME_ANCESTORS: the iframe takes theme messages (postMessage) only from these origins. */
  frameAncestors?: string[] | undefined;
}

async function probe(base: string, timeoutMs: number): Promise<Reachability> {
  try {
    const res = await request(`${base}/`, {
      headers: { accept: 'application/json', 'user-agent': 'katapult-interface-panel' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
    return res.statusCode < 500
      ? { ready: true, upstreamStatus: res.statusCode }
      : { ready: false, upstreamStatus: res.statusCode, reason: `Katapult answered HTTP ${res.statusCode}.` };
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    return { ready: false, reason: timedOut ? 'Katapult did not answer in time.' : 'Katapult could not be reached.' };
  }
}

/** No fastify-plugin: its routes concern no other plugin. */
export async function health(app: FastifyInstance, opts: HealthOptions) {
  let cached: { at: number; result: Promise<Reachability> } | undefined;
  const reachability = () => {
    const now = Date.now();
    if (!cached || now - cached.at >= READY_CACHE_MS) cached = { at: now, result: probe(opts.upstreamBase, Math.min(opts.probeTimeoutMs, 5000)) };
    return cached.result;
  };

  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    const queue = app.panelProxy.state();
    const r: Reachability = opts.mode === 'demo' ? { ready: true } : await reachability();
    const ready = r.ready && !queue.saturated;
    const reason = queue.saturated ? 'The queue of calls to Katapult is full.' : r.reason;
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not_ready', mode: opts.mode, ...r, ready, ...(reason ? { reason } : {}), queue });
  });
  app.get('/api/_panel/config', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { mode: opts.mode, frame_ancestors: opts.frameAncestors ?? [] };
  });
}
