/** The server's configuration: environment variables only, parsed once, every bad one named. */
import * as z from 'zod/mini';
import { parseAuditConfig, type AuditConfig } from './audit/config.ts';

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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  PORT: intFrom(3000, 0, 65535),
  HOST: z._default(z.string(), '127.0.0.1'),
  KATAPULT_API_URL: z.optional(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://api.katapult.io/core/v1' }),
  ),
  KATAPULT_API_TOKEN: z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (a Katapult API token)')),
  ),
  UPSTREAM_TIMEOUT_MS: intFrom(15_000, 100, 300_000),
  REQUEST_TIMEOUT_MS: intFrom(10_000, 100, 300_000),
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
  FRAME_ANCESTORS: z._default(
    z.string().check(z.regex(/^[^;,\r\n]+$/, 'must be space-separated CSP sources (no ; or ,)')),
    "'self'",
  ),
  DIST_DIR: z._default(z.string(), 'dist'),
  PUBLIC_URL: z.optional(z.url({ protocol: /^https?$/, error: 'must be the http(s) URL browsers use, such as https://panel.corp.example' })),
  ALLOWED_HOSTS: z.optional(
    z.string().check(z.regex(/^[\w.:[\]\s,-]+$/, 'must be host names or addresses, with an optional :port, separated by spaces or commas')),
  ),
  UPSTREAM_MAX_BYTES: intFrom(1024 * 1024, 1024, 64 * 1024 * 1024),
  UPSTREAM_CONNECTIONS: intFrom(128, 1, 4096),
  UPSTREAM_QUEUE_LIMIT: intFrom(256, 0, 100_000),
  DEMO: z.optional(z.enum(['0', '1'], { error: 'must be 1 (serve the built-in demo data instead of Katapult) or 0' })),
  PANEL_MOCK_CONTROLS: z.optional(z.enum(['0', '1'], { error: 'must be 1 (mount the demo mock’s test controls) or 0' })),
  METRICS_TOKEN: z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]{16,}$/, 'must be at least 16 printable ASCII characters without spaces (the bearer token Prometheus sends)')),
  ),
  AUTH_MODE: z._default(
    z.enum(['server', 'per-user'], { error: 'must be server (the server holds the token) or per-user (each browser sends its own)' }),
    'server',
  ),
});

export interface ServerConfig {
  port: number;
  host: string;
  mode: 'demo' | 'live';
  upstreamUrl: string | undefined;
  token: string | undefined;
  upstreamTimeoutMs: number;
  /** How long a client may take to send a whole request, headers and body; past it the connection is ended (408). */
  requestTimeoutMs: number;
  logLevel: string;
  frameAncestors: string[];
  distDir: string;
  /**
   * `server`: the server adds KATAPULT_API_TOKEN upstream. `per-user`: it forwards the browser's own
   * `Authorization: Bearer …` (from the host's getAccessToken()) and never uses a server token.
   */
  authMode: 'server' | 'per-user';
  /** The audit log's database, retention and trusted user header (server/audit/config.ts). */
  audit: AuditConfig;
  /** The URL browsers use to reach the panel, when it differs from the listen address (a proxy in front). */
  publicUrl: string | undefined;
  /** Host header values served (lower case, port kept when given); see `allowedHosts`. */
  allowedHosts: string[];
  /** Largest upstream answer read, in bytes; past it the answer is dropped (502 upstream_too_large). */
  upstreamMaxBytes: number;
  /** Connections to Katapult at once; further calls wait in a queue of `upstreamQueueLimit`. */
  upstreamConnections: number;
  upstreamQueueLimit: number;
  /** Demo mode only: mount the mock's test controls under /__mock (the test suite sets it). */
  mockControls: boolean;
  /** GET /metrics answers only a request bearing this token; unset, /metrics is off (404). */
  metricsToken: string | undefined;
}

/**
 * The Host values the server answers: ALLOWED_HOSTS when set, else the listen address, localhost,
 * 127.0.0.1, ::1 and PUBLIC_URL's host. A name without a port matches any port.
 */
export function allowedHosts(listenHost: string, publicUrl: string | undefined, explicit: string | undefined): string[] {
  if (explicit) return explicit.split(/[\s,]+/).filter(Boolean).map((h) => h.toLowerCase());
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  if (!['0.0.0.0', '::'].includes(listenHost)) hosts.add(listenHost.includes(':') ? `[${listenHost}]` : listenHost.toLowerCase());
  if (publicUrl) hosts.add(new URL(publicUrl).host.toLowerCase());
  return [...hosts];
}

/**
 * Demo or live, said plainly: without KATAPULT_API_URL the server serves demo data, which is what
 * `npm start` on a laptop wants, but a production start (NODE_ENV=production) must name DEMO=1 for
 * that, so a forgotten variable never passes demo data off as Katapult's.
 */
function modeIssuesOf(env: Record<string, string | undefined>): string[] {
  const url = env.KATAPULT_API_URL !== undefined;
  if (url && env.DEMO === '1') return ['DEMO=1 and KATAPULT_API_URL are both set: set KATAPULT_API_URL for Katapult, or DEMO=1 for the demo data, not both'];
  if (url) return [];
  if (env.DEMO === '0') return ['DEMO=0 asks for Katapult, but KATAPULT_API_URL is not set (e.g. https://api.katapult.io/core/v1)'];
  if (env.NODE_ENV === 'production' && env.DEMO !== '1') {
    return [
      'KATAPULT_API_URL is not set: with NODE_ENV=production the server serves Katapult, so set KATAPULT_API_URL ' +
        '(e.g. https://api.katapult.io/core/v1) and KATAPULT_API_TOKEN, or set DEMO=1 to serve the built-in demo data on purpose',
    ];
  }
  return [];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty variable means "not set" (handy in docker-compose and CI files).
  // Surrounding whitespace (a token read from a file ends in a newline) is dropped.
  const clean = Object.fromEntries(
    Object.entries(env)
      .map(([k, v]) => [k, v?.trim()] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const r = z.safeParse(schema, clean);
  const audit = parseAuditConfig(clean, clean.KATAPULT_API_URL ? 'live' : 'demo');
  const modeIssues = modeIssuesOf(clean);
  if (!r.success || audit.issues.length > 0 || modeIssues.length > 0) {
    const issues = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new Error(`Bad configuration: ${[...issues, ...modeIssues, ...audit.issues].join('; ')}`);
  }
  const c = r.data;
  return {
    port: c.PORT,
    host: c.HOST,
    mode: c.KATAPULT_API_URL ? 'live' : 'demo',
    upstreamUrl: c.KATAPULT_API_URL?.replace(/\/+$/, ''),
    token: c.KATAPULT_API_TOKEN,
    upstreamTimeoutMs: c.UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: c.REQUEST_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
    frameAncestors: c.FRAME_ANCESTORS.split(/\s+/).filter(Boolean),
    distDir: c.DIST_DIR,
    authMode: c.AUTH_MODE,
    audit: audit.config,
    publicUrl: c.PUBLIC_URL?.replace(/\/+$/, ''),
    allowedHosts: allowedHosts(c.HOST, c.PUBLIC_URL, c.ALLOWED_HOSTS),
    upstreamMaxBytes: c.UPSTREAM_MAX_BYTES,
    upstreamConnections: c.UPSTREAM_CONNECTIONS,
    upstreamQueueLimit: c.UPSTREAM_QUEUE_LIMIT,
    mockControls: c.PANEL_MOCK_CONTROLS === '1',
    metricsToken: c.METRICS_TOKEN,
  };
}
