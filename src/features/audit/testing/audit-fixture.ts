/**
 * Test-only stand-in for the panel server's `GET /api/panel/audit` (the real one is the server's
 * audit plugin, tested there): a small stateful list of entries, filtered, sorted and paged the way
 * the contract says, with a log of the requests the UI made and faults to inject.
 */
import { http, HttpResponse, type JsonBodyType } from 'msw';
import { OUTCOME_FILTERS } from '../use-audit.ts';
import type { AuditEntry } from '../../../../protocol/audit.ts';

export const TEST_API_BASE = 'http://panel.test/api';

let seq = 0;

/** An entry with plausible values; `minutesAgo` is counted from `nowMs`. */
export function makeEntry(nowMs: number, minutesAgo: number, over: Partial<AuditEntry> = {}): AuditEntry {
  seq += 1;
  const at = new Date(nowMs - minutesAgo * 60_000).toISOString();
  return {
    id: `aud_${String(seq).padStart(16, '0')}`,
    at,
    user: 'ana@example.com',
    vm: { id: 'vm_web1', name: 'web-1' },
    interface_id: 'vmni_web1a',
    network: { id: 'netw_public', name: 'Public' },
    from_profile: { id: 'nsp_1g', name: '1 Gbps' },
    from_source: 'katapult',
    to_profile: { id: 'nsp_10g', permalink: '10gbps', name: '10 Gbps' },
    outcome: 'completed',
    task_id: `task_${seq}`,
    error_code: null,
    last_seen_at: at,
    blocking: false,
    blocking_until: null,
    expired: false,
    expired_at: null,
    ended_at: at,
    updated_at: at,
    task_progress: null,
    can_change_back: (over.outcome ?? 'completed') === 'completed',
    ...over,
  };
}

type Answer = { status: number; json?: JsonBodyType; raw?: string };

const isDateish = (v: string) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v));
const filterError = (parameter: string, description: string): Answer => ({
  status: 400,
  json: { error: { code: 'invalid_audit_filter', description, detail: { parameter } } },
});

export function createAuditFixture(initial: AuditEntry[] = []) {
  const state = { entries: [...initial], requests: [] as URLSearchParams[], faults: [] as Answer[] };

  function answer(p: URLSearchParams): Answer {
    const fault = state.faults.shift();
    if (fault) return fault;
    const outcome = p.get('outcome');
    if (outcome && !(OUTCOME_FILTERS as readonly string[]).includes(outcome)) {
      return filterError('outcome', `The outcome filter must be one of ${OUTCOME_FILTERS.join(', ')}.`);
    }
    for (const key of ['from', 'to'] as const) {
      const v = p.get(key);
      if (v && !isDateish(v)) return filterError(key, `The “${key}” filter must be an ISO 8601 date or date-time.`);
    }
    const limit = Number(p.get('limit') ?? 25);
    const vm = p.get('vm')?.toLowerCase();
    const from = p.get('from');
    const toRaw = p.get('to');
    const to = toRaw && /^\d{4}-\d{2}-\d{2}$/.test(toRaw) ? `${toRaw}T23:59:59.999Z` : toRaw;
    const rows = state.entries
      .filter((e) => !vm || e.vm.id?.toLowerCase() === vm || e.vm.name?.toLowerCase().includes(vm))
      .filter((e) => !p.get('interface') || e.interface_id === p.get('interface'))
      .filter((e) => !p.get('user') || e.user === p.get('user'))
      .filter((e) =>
        !outcome ? true : outcome === 'not_seen' ? e.outcome === 'pending' || e.outcome === 'running' : e.outcome === outcome,
      )
      .filter((e) => !from || Date.parse(e.at) >= Date.parse(from))
      .filter((e) => !to || Date.parse(e.at) <= Date.parse(to))
      .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
    const start = Number(p.get('cursor')?.replace('after:', '') ?? 0);
    const page = rows.slice(start, start + limit);
    const more = start + limit < rows.length;
    return { status: 200, json: { entries: page, next_cursor: more ? `after:${start + limit}` : null } };
  }

  const handler = http.get(`${TEST_API_BASE}/panel/audit`, ({ request }) => {
    const p = new URL(request.url).searchParams;
    state.requests.push(p);
    const a = answer(p);
    if (a.raw !== undefined) return new HttpResponse(a.raw, { status: a.status, headers: { 'content-type': 'text/html' } });
    return HttpResponse.json(a.json, { status: a.status, headers: { 'cache-control': 'no-store' } });
  });

  return {
    handler,
    state,
    /** The next request gets this answer instead. */
    failNext: (a: Answer) => state.faults.push(a),
    /** The last request's filters as an object (the page parameters left out). */
    lastFilters: () => {
      const last = state.requests.at(-1);
      if (!last) return undefined;
      return Object.fromEntries([...last.entries()].filter(([k]) => k !== 'limit' && k !== 'cursor'));
    },
  };
}
