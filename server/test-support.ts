/** What the server's tests share: an upstream that records what reaches it, and an app whose log lines are kept. */
import { buildServer } from './app.ts';
import type { ServerConfig } from './config.ts';
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
