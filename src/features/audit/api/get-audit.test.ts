import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/api-error.ts';
import { mockServer } from '../../../../mock/node.ts';
import { createAuditFixture, makeEntry, TEST_API_BASE } from '../testing/audit-fixture.ts';
import { auditCsvHref, auditKeys, auditSearchParams, getAudit } from './get-audit.ts';

const URL = `${TEST_API_BASE}/panel/audit`;

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
    const page = await getAudit(TEST_API_BASE, { vm: ' web ', outcome: 'failed', user: '', limit: 10, cursor: 'after:10' });
    expect(new globalThis.URL(seen!.url).search).toBe('?vm=web&outcome=failed&limit=10&cursor=after%3A10');
    expect(seen!.headers.get('x-katapult-panel')).toBe('1');
    expect(page).toEqual({ entries: [], next_cursor: null });
  });

  it('turns the server’s error envelope into an ApiError with its code, description and detail', async () => {
    const fixture = createAuditFixture();
    mockServer.use(fixture.handler);
    const e = await failure(getAudit(TEST_API_BASE, { outcome: 'sideways' }));
    expect(e).toMatchObject({ kind: 'katapult', status: 400, code: 'invalid_audit_filter', detail: { parameter: 'outcome' } });
  });

  it('reports a body that is not JSON, an empty body and a wrong shape as unexpected answers with their status', async () => {
    mockServer.use(http.get(URL, () => new HttpResponse('<html>proxy</html>', { status: 200 }), { once: true }));
    expect(await failure(getAudit(TEST_API_BASE, {}))).toMatchObject({ kind: 'unexpected', status: 200 });
    mockServer.use(http.get(URL, () => new HttpResponse('', { status: 502 }), { once: true }));
    expect(await failure(getAudit(TEST_API_BASE, {}))).toMatchObject({ kind: 'unexpected', status: 502 });
    mockServer.use(http.get(URL, () => HttpResponse.json({ entries: [{ id: 1 }] }), { once: true }));
    expect(await failure(getAudit(TEST_API_BASE, {}))).toMatchObject({ kind: 'unexpected', status: 200 });
  });

  it('reports a request that got no answer as a network error', async () => {
    mockServer.use(http.get(URL, () => HttpResponse.error(), { once: true }));
    expect(await failure(getAudit(TEST_API_BASE, {}))).toMatchObject({ kind: 'network', status: 0 });
  });
});

describe('audit keys and links', () => {
  it('keys every audit query under ["audit"], so one invalidation refreshes both views', () => {
    expect(auditKeys.all).toEqual(['audit']);
    expect(auditKeys.list({ vm: 'x' })).toEqual(['audit', 'list', { vm: 'x' }]);
    expect(auditKeys.recent('vmni_1')).toEqual(['audit', 'recent', 'vmni_1']);
  });

  it('builds the CSV link from the filters only, never the page', () => {
    expect(auditCsvHref('/api', {})).toBe('/api/panel/audit.csv');
    expect(auditCsvHref('/api', { to: '2026-11-30', vm: 'a&b', user: ' ' })).toBe('/api/panel/audit.csv?vm=a%26b&to=2026-11-30');
    expect(auditSearchParams({ cursor: 'c', limit: 5 }).toString()).toBe('limit=5&cursor=c');
  });
});
