/**
 * What the server's tests share: an upstream that records what reaches it, an app whose log lines
 * are kept, a clock moved by hand, and a live server with its audit log on a fresh database.
 */
import { buildServer, type BuildOptions } from './app.ts';
import { openAuditStore } from './audit/store.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { freshDatabaseEnv, type DatabaseKind } from './testing/databases.ts';
import type { Upstream } from './upstream.ts';

/** An upstream that answers with `answer` and keeps every request that reached it. */
export function recordingUpstream(answer: (req: Request) => Response | Promise<Response> = () => Response.json({ ok: true })) {
  const calls: Request[] = [];
  const upstream: Upstream = async (req) => {
    calls.push(req);
    return answer(req);
  };
  return { calls, upstream };
}

/** An app (not listening: use `inject`) whose log lines are collected, and parsed by `records()`. */
export async function withLog(config: ServerConfig, upstream?: Upstream) {
  const lines: string[] = [];
  const app = await buildServer(config, {
    ...(upstream ? { upstream } : {}),
    distDir: null,
    logger: { level: 'trace', stream: { write: (l: string) => void lines.push(l) } },
  });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { app, lines, records };
}

/** A stand-in METRICS_TOKEN for tests: long enough to be accepted, and plainly not a secret. */
export const FAKE_METRICS_TOKEN = 'not-a-real-token-just-for-tests';

/** A clock the test moves by hand: the audit store's, and through it the follower's and the change lock's. */
export function testClock(start = '2026-12-07T09:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso: string) => void (t = Date.parse(iso)), tick: (ms: number) => void (t += ms) };
}

export interface AuditedServerOptions {
  /** Environment added to Katapult's URL (`https://api.example.test/core/v1`) and the fresh database's. */
  env?: Record<string, string>;
  /** The audit store's clock (testClock().now). */
  now?: () => Date;
  /** Over `{ logger: false, distDir: null }`; the audit store is always the fresh one. */
  build?: BuildOptions;
}

/** A live-mode server (not listening: use `inject`) with its audit log on a fresh database of `kind`. The caller closes `app`. */
export async function auditedServer(kind: DatabaseKind, o: AuditedServerOptions = {}) {
  const dbEnv = await freshDatabaseEnv(kind);
  const config = loadConfig({ KATAPULT_API_URL: 'https://api.example.test/core/v1', ...dbEnv, ...o.env });
  const store = await openAuditStore(config.audit, o.now ? { now: o.now } : {});
  const app = await buildServer(config, { logger: false, distDir: null, ...o.build, audit: store });
  return { app, store, config, dbEnv };
}
