/**
 * GET /metrics: Prometheus's text format, parsed here and read by metric name and labels after real
 * requests through a Katapult stand-in; the follower's rounds are driven by hand on a test clock.
 * The endpoint is off without METRICS_TOKEN and refuses a request without the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { DATABASE_KINDS, type DatabaseKind } from './testing/databases.ts';
import { auditedServer, FAKE_METRICS_TOKEN, recordingUpstream, testClock } from './test-support.ts';

const TOKEN = FAKE_METRICS_TOKEN;
const PANEL = { 'x-katapult-panel': '1', 'content-type': 'application/json' };
const CHANGE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile';
const INTERFACE_PATH = '/virtual_machine_network_interfaces/virtual_machine_network_interface';
const NIC = 'vmnet_olNAz8ThH0emHvdr';
const body = { virtual_machine_network_interface: { id: NIC }, speed_profile: { permalink: '10gbps' } };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text format's samples and `# TYPE` lines (enough of the format for these assertions). */
function parse(text: string) {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  /** The value of the one sample of that name whose labels include `labels`; undefined when there is none. */
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
    return found[0]?.value;
  };
  return { samples, types, value };
}

/** Katapult: a PATCH starts a task; the task answers `status`, or 429 while `taskLimited`; the interface 429s while `nicLimited`. */
function katapult() {
  const state = { status: 'running', taskLimited: false, nicLimited: false };
  const limited = () => Response.json({ error: { code: 'rate_limit_reached', description: '', detail: {} } }, { status: 429, headers: { 'retry-after': '2' } });
  const rec = recordingUpstream((req) => {
    const url = new URL(req.url);
    if (req.method === 'PATCH') return Response.json({ task: { id: 'task_Metrics1', status: 'pending' } });
    if (url.pathname.endsWith('/tasks/task')) {
      if (state.taskLimited) return limited();
      return Response.json({ task: { id: url.searchParams.get('task[id]'), name: 'Change speed profile', status: state.status, progress: 50 } });
    }
    if (state.nicLimited) return limited();
    return Response.json({ virtual_machine_network_interface: { id: NIC, speed_profile: { id: 'nsp_100mbps', name: '100 Mbps', permalink: '100mbps' } } });
  });
  return { ...rec, state };
}

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
}, 60_000);

async function server(kind: DatabaseKind, env: Record<string, string> = { METRICS_TOKEN: TOKEN }) {
  const k = katapult();
  const c = testClock();
  const { app } = await auditedServer(kind, {
    env: { KATAPULT_API_TOKEN: 'metrics-katapult-token', TRUSTED_USER_HEADER: 'X-Forwarded-Email', ...env },
    now: c.now,
    build: { upstream: k.upstream, follower: 'manual' },
  });
  cleanup.push(() => app.close());
  const change = (user: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'PATCH', url: `/api${CHANGE_PATH}`, payload: body, headers: { ...PANEL, 'x-forwarded-email': user, ...headers } });
  const scrape = async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(res.body);
  };
  const after = async (ms: number) => {
    c.tick(ms);
    await app.panelFollower.tick();
  };
  return { app, k, change, scrape, after };
}

describe.each(DATABASE_KINDS)('GET /metrics after changes, on %s', (kind: DatabaseKind) => {
  it('counts requests by route and status, Katapult calls and 429s, refusals, changes by outcome, the followed tasks and the follow lag', async () => {
    const { app, k, change, scrape, after } = await server(kind);
    expect((await change('alice@staff.example')).statusCode).toBe(200);
    expect((await change('bob@staff.example')).statusCode).toBe(409);
    expect((await change('bob@staff.example', { 'x-panel-change-back': 'aud_NoSuchRecord' })).statusCode).toBe(409);
    k.state.nicLimited = true;
    expect((await app.inject({ method: 'GET', url: `/api${INTERFACE_PATH}?virtual_machine_network_interface[id]=${NIC}` })).statusCode).toBe(429);
    k.state.nicLimited = false;
    expect((await app.inject({ method: 'GET', url: '/api/no/such/route?secret=1' })).statusCode).toBe(404);

    let m = await scrape();
    const route = `/api${CHANGE_PATH}`;
    expect(m.types.get('panel_http_requests_total')).toBe('counter');
    expect(m.value('panel_http_requests_total', { route, method: 'PATCH', status: '200' })).toBe(1);
    expect(m.value('panel_http_requests_total', { route, method: 'PATCH', status: '409' })).toBe(2);
    expect(m.value('panel_http_requests_total', { route: `/api${INTERFACE_PATH}`, method: 'GET', status: '429' })).toBe(1);
    // An unknown URL is one series, whatever it asked: the raw path never becomes a label.
    expect(m.value('panel_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(m.samples.some((s) => Object.values(s.labels).some((v) => v.includes('/no/such') || v.includes('secret')))).toBe(false);

    expect(m.types.get('panel_katapult_request_duration_seconds')).toBe('histogram');
    expect(m.value('panel_katapult_request_duration_seconds_count', { method: 'PATCH', path: CHANGE_PATH, status: '200' })).toBe(1);
    // The server's own read of the interface before alice's change, and the relayed read that got 429.
    expect(m.value('panel_katapult_request_duration_seconds_count', { method: 'GET', path: INTERFACE_PATH, status: '200' })).toBe(1);
    expect(m.value('panel_katapult_request_duration_seconds_count', { method: 'GET', path: INTERFACE_PATH, status: '429' })).toBe(1);
    expect(m.value('panel_katapult_rate_limited_total', { source: 'relay' })).toBe(1);
    expect(m.value('panel_katapult_rate_limited_total', { source: 'follower' })).toBeUndefined();

    expect(m.value('panel_change_refusals_total', { code: 'change_in_progress' })).toBe(1);
    expect(m.value('panel_change_refusals_total', { code: 'change_back_not_possible' })).toBe(1);
    expect(m.types.get('panel_changes')).toBe('gauge');
    expect(m.value('panel_changes', { outcome: 'running' })).toBe(1);
    expect(m.value('panel_changes', { outcome: 'completed' })).toBe(0);
    expect(m.value('panel_changes_followed')).toBe(1);
    expect(m.value('panel_follow_lag_seconds')).toBe(0);

    // The first look was due 1 s after the change; this round comes 1.5 s after it, and gets a 429.
    k.state.taskLimited = true;
    await after(1500);
    m = await scrape();
    expect(m.value('panel_follow_lag_seconds')).toBe(0.5);
    expect(m.value('panel_katapult_rate_limited_total', { source: 'follower' })).toBe(1);
    expect(m.value('panel_katapult_request_duration_seconds_count', { method: 'GET', path: '/tasks/task', status: '429' })).toBe(1);

    k.state.taskLimited = false;
    k.state.status = 'completed';
    await after(2000);
    m = await scrape();
    expect(m.value('panel_changes', { outcome: 'completed' })).toBe(1);
    expect(m.value('panel_changes', { outcome: 'running' })).toBe(0);
    expect(m.value('panel_changes_followed')).toBe(0);
    // A round with nothing due has no lag.
    await after(1000);
    expect((await scrape()).value('panel_follow_lag_seconds')).toBe(0);
  });
});

describe('GET /metrics', () => {
  it('keeps a gauge of Server-Sent Events clients for the events plugin, and the process’s own metrics', async () => {
    const { app, scrape } = await server('sqlite');
    expect((await scrape()).value('panel_sse_clients')).toBe(0);
    app.panelMetrics.sseClients.inc();
    app.panelMetrics.sseClients.inc();
    app.panelMetrics.sseClients.dec();
    const m = await scrape();
    expect(m.value('panel_sse_clients')).toBe(1);
    expect(m.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(m.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('counts each app apart: two apps in one process share no metric', async () => {
    const a = await server('sqlite');
    const b = await server('sqlite');
    await a.app.inject({ method: 'GET', url: '/healthz' });
    expect((await a.scrape()).value('panel_http_requests_total', { route: '/healthz', status: '200' })).toBe(1);
    expect((await b.scrape()).value('panel_http_requests_total', { route: '/healthz' })).toBeUndefined();
  });

  it('is off without METRICS_TOKEN: 404, and no metrics in the answer', async () => {
    const { app } = await server('sqlite', {});
    await app.inject({ method: 'GET', url: '/healthz' });
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'metrics_not_enabled' } });
    expect(res.body).not.toContain('panel_http_requests_total');
  });

  it('refuses a request without the token, with another token, or for a host name not allowed', async () => {
    const { app } = await server('sqlite');
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}-but-another` }, { authorization: TOKEN }]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json()).toMatchObject({ error: { code: 'metrics_token_required' } });
    }
    const rebound = await app.inject({ method: 'GET', url: '/metrics', headers: { host: 'attacker.example', authorization: `Bearer ${TOKEN}` } });
    expect(rebound.statusCode).toBe(421);
  });

  it('names a METRICS_TOKEN too short to be a secret', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16/);
  });
});
