import { http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error.ts';
import { createApiClient, type ApiClient } from '../../api/client.ts';
import { auditCsvHref, auditKeys, getAudit, getAuditCsv } from '../../api/audit.ts';
import { mockServer } from '../../../mock/node.ts';
import { createAuditFixture, makeEntry, TEST_API_BASE } from './testing/audit-fixture.ts';

const URL = `${TEST_API_BASE}/panel/audit`;
// Made once msw is listening: openapi-fetch keeps the fetch it was created with.
let api: ApiClient;
beforeAll(() => {
  api = createApiClient({ baseUrl: TEST_API_BASE });
});

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e: unknown = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('getAudit', () => {
  it('sends the filters and the page as query parameters, with the panel header', async () => {
    let seen: Request | undefined;
    const fixture = createAuditFixture([makeEntry(Date.now(), 1)]);
    mockServer.use(
      http.get(URL, ({ request }) => {
        seen = request.clone();
      }),
      fixture.handler,
    );
    const page = await getAudit(api, { vm: ' web ', outcome: 'failed', user: '', limit: 10, cursor: 'after:10' });
    expect(new globalThis.URL(seen!.url).search).toBe('?vm=web&outcome=failed&limit=10&cursor=after%3A10');
    expect(seen!.headers.get('x-katapult-panel')).toBe('1');
    expect(page).toEqual({ entries: [], next_cursor: null });
  });

  it('turns the server’s error envelope into an ApiError with its code, description and detail', async () => {
    const fixture = createAuditFixture();
    mockServer.use(fixture.handler);
    const e = await failure(getAudit(api, { outcome: 'sideways' }));
    expect(e).toMatchObject({ kind: 'katapult', status: 400, code: 'invalid_audit_filter', detail: { parameter: 'outcome' } });
  });

  it('reports a body that is not JSON, an empty body and a wrong shape as unexpected answers with their status', async () => {
    mockServer.use(http.get(URL, () => new HttpResponse('<html>proxy</html>', { status: 200 }), { once: true }));
    expect(await failure(getAudit(api, {}))).toMatchObject({ kind: 'unexpected', status: 200 });
    mockServer.use(http.get(URL, () => new HttpResponse('', { status: 502 }), { once: true }));
    expect(await failure(getAudit(api, {}))).toMatchObject({ kind: 'unexpected', status: 502 });
    mockServer.use(http.get(URL, () => HttpResponse.json({ entries: [{ id: 1 }] }), { once: true }));
    expect(await failure(getAudit(api, {}))).toMatchObject({ kind: 'unexpected', status: 200 });
  });

  it('reports a request that got no answer as a network error', async () => {
    mockServer.use(http.get(URL, () => HttpResponse.error(), { once: true }));
    expect(await failure(getAudit(api, {}))).toMatchObject({ kind: 'network', status: 0 });
  });
});

describe('audit keys and links', () => {
  it('keys every audit query under ["audit"], so one invalidation refreshes both views', () => {
    expect(auditKeys.all).toEqual(['audit']);
    expect(auditKeys.list({ vm: 'x' })).toEqual(['audit', 'list', { vm: 'x' }]);
    expect(auditKeys.recent('vmni_1')).toEqual(['audit', 'recent', 'vmni_1']);
  });

  it('asks for the CSV with the filters only, never the page, through the panel client', async () => {
    const seen: Request[] = [];
    mockServer.use(
      http.get(`${TEST_API_BASE}/panel/audit.csv`, ({ request }) => {
        seen.push(request.clone());
        return new HttpResponse('at,user\n', { headers: { 'content-type': 'text/csv' } });
      }),
    );
    const blob = await getAuditCsv(api, {});
    expect(await blob.text()).toBe('at,user\n');
    await getAuditCsv(api, { to: '2026-11-30', vm: 'a&b', user: ' ', ...({ cursor: 'c', limit: 5 } as object) });
    expect(seen.map((r) => new globalThis.URL(r.url).search)).toEqual(['', '?vm=a%26b&to=2026-11-30']);
    expect(seen[0]!.headers.get('x-katapult-panel')).toBe('1');
  });

  it('reports an export that got no answer as a network error, not as “HTTP undefined”', async () => {
    mockServer.use(http.get(`${TEST_API_BASE}/panel/audit.csv`, () => HttpResponse.error(), { once: true }));
    expect(await failure(getAuditCsv(api, {}))).toMatchObject({ kind: 'network', status: 0 });
  });

  it('reports the server’s error on an export with its code', async () => {
    mockServer.use(
      http.get(`${TEST_API_BASE}/panel/audit.csv`, () => HttpResponse.json({ error: { code: 'invalid_audit_filter', description: 'x', detail: {} } }, { status: 400 }), {
        once: true,
      }),
    );
    expect(await failure(getAuditCsv(api, { outcome: 'sideways' }))).toMatchObject({ kind: 'katapult', status: 400, code: 'invalid_audit_filter' });
  });

  it('links the CSV with the filters only', () => {
    expect(auditCsvHref('/api', {})).toBe('/api/panel/audit.csv');
    expect(auditCsvHref('/api', { vm: ' a&b ', user: '' })).toBe('/api/panel/audit.csv?vm=a%26b');
  });

  it('sends the page parameters after the filters', async () => {
    let seen: Request | undefined;
    mockServer.use(
      http.get(URL, ({ request }) => {
        seen = request.clone();
        return HttpResponse.json({ entries: [], next_cursor: null });
      }),
    );
    await getAudit(api, { cursor: 'c', limit: 5 });
    expect(new globalThis.URL(seen!.url).search).toBe('?limit=5&cursor=c');
  });
});
