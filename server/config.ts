/** The server's configuration: environment variables only, parsed once, every bad one named. */
import * as z from 'zod/mini';

const intFrom = (fallback: number, min: number, max: number) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.issues.push({ code: 'custom', message: `must be an integer from ${min} to ${max}`, input: v });
        return fallback;
      }
      return n;
    }),
  );

const schema = z.object({
  PORT: intFrom(3000, 0, 65535),
  HOST: z._default(z.string(), '127.0.0.1'),
  KATAPULT_API_URL: z.optional(z.url({ protocol: /^https?$/ })),
  KATAPULT_API_TOKEN: z.optional(z.string()),
  UPSTREAM_TIMEOUT_MS: intFrom(15_000, 100, 300_000),
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  FRAME_ANCESTORS: z._default(z.string(), "'self'"),
  DIST_DIR: z._default(z.string(), 'dist'),
});

export interface ServerConfig {
  port: number;
  host: string;
  mode: 'demo' | 'live';
  upstreamUrl: string | undefined;
  token: string | undefined;
  upstreamTimeoutMs: number;
  logLevel: string;
  frameAncestors: string[];
  distDir: string;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = z.safeParse(schema, clean);
  if (!r.success) {
    const bad = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Bad configuration: ${bad}`);
  }
  const c = r.data;
  return {
    port: c.PORT,
    host: c.HOST,
    mode: c.KATAPULT_API_URL ? 'live' : 'demo',
    upstreamUrl: c.KATAPULT_API_URL?.replace(/\/+$/, ''),
    token: c.KATAPULT_API_TOKEN,
    upstreamTimeoutMs: c.UPSTREAM_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
    frameAncestors: c.FRAME_ANCESTORS.split(/\s+/).filter(Boolean),
    distDir: c.DIST_DIR,
  };
}
