import { act, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorFromBody, networkError } from '../../../api/api-error.ts';
import { formatDate } from '../../../api/error-messages.ts';
import { DEMO } from '../../../../mock/seed.ts';
import { renderWithProviders } from '../../../testing/test-utils.tsx';
import { rateLimitDelay, scheduledRetryMs } from '../../../lib/query-client.ts';
import { LookupError, RateLimitWait } from '../components/lookup-error.tsx';
import type { LookupTarget } from '../../../api/refs.ts';

const TARGET: LookupTarget = { vm: { kind: 'id', value: DEMO.vm }, network: { kind: 'id', value: DEMO.unusedNetwork } };
const KEEP_UNTIL = 1_767_225_600; // 2026-01-01T00:00:00Z

const katapult = (status: number, code: string, detail: Record<string, unknown> = {}, envelope: 'wrapped' | 'unwrapped' = 'wrapped') => {
  const body = { code, description: `Katapult says ${code}`, detail };
  return errorFromBody(status, JSON.stringify(envelope === 'wrapped' ? { error: body } : body));
};

async function renderError(error: ReturnType<typeof katapult>) {
  const onRetry = vi.fn();
  const onLookup = vi.fn();
  const ui = (e: typeof error) => (
    <LookupError error={e} target={TARGET} retrying={false} onRetry={onRetry} onLookup={onLookup} />
  );
  const r = await renderWithProviders(ui(error));
  return { ...r, onRetry, onLookup, alert: screen.getByRole('alert') };
}

afterEach(() => {
  vi.useRealTimers();
});

/** Seconds pass one by one, each rendered (as they would in a browser). */
const tick = (seconds: number) => {
  for (let i = 0; i < seconds; i++) act(() => vi.advanceTimersByTime(1000));
};

describe('every error of the lookup endpoint', { timeout: 20_000 }, () => {
  it.each([
    [400, 'missing_api_token', {}, /sent no API token.*KATAPULT_API_TOKEN/],
    [403, 'invalid_api_token', {}, /rejected the API token.*expired/],
    [403, 'scope_not_granted', {}, /not allowed to do this.*virtual_machines/],
    [403, 'invalid_capabilities_token', {}, /rejected the capabilities token/],
    [403, 'unauthorized_network_for_api_token', { ip_address: '203.0.113.9' }, /may not be used from this network.*203\.0\.113\.9/],
    [403, 'unauthorized_network_for_api_token', { ip: '198.51.100.7' }, /198\.51\.100\.7/],
    [404, 'virtual_machine_not_found', {}, /No virtual machine matches/],
    [404, 'network_not_found', {}, /No network matches/],
    [404, 'interface_not_found', {}, /no interface on that network/],
    [406, 'object_in_trash', { trash_object: { id: 'trsh_1', keep_until: KEEP_UNTIL, object_id: DEMO.trashedVm, object_type: 'VirtualMachine' } }, /virtual machine is in the trash/],
    [429, 'rate_limit_reached', { total_permitted: 120 }, /rate limit.*120 requests a minute/],
    [503, 'service_unavailable', {}, /unavailable right now/],
  ] as const)('%i %s: its own wording, the description and the code', async (status, code, detail, wording) => {
    const { alert } = await renderError(katapult(status, code, detail));
    expect(alert).toHaveTextContent(wording);
    expect(alert).toHaveTextContent(`Katapult: “Katapult says ${code}”`);
    expect(alert).toHaveTextContent(`Code: ${code} · HTTP ${status}`);
    expect(within(alert).getByRole('button', { name: 'Copy error code' })).toBeInTheDocument();
  });

  it('reads the documented (unwrapped) envelope too', async () => {
    const { alert } = await renderError(katapult(403, 'invalid_api_token', {}, 'unwrapped'));
    expect(alert).toHaveTextContent(/rejected the API token/);
    expect(alert).toHaveTextContent('invalid_api_token');
  });

  it('says what is in the trash and until when, as a local date', async () => {
    const { alert } = await renderError(
      katapult(406, 'object_in_trash', {
        trash_object: { id: 'trsh_1', keep_until: KEEP_UNTIL, object_id: DEMO.trashedVm, object_type: 'VirtualMachine' },
      }),
    );
    expect(alert).toHaveTextContent(`${DEMO.trashedVm} is in Katapult’s trash until ${formatDate(KEEP_UNTIL)}`);
    // The date is the user's: formatted for this time zone, not UTC's.
    const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(KEEP_UNTIL * 1000));
    expect(alert).toHaveTextContent(local);
  });

  it('says it is in the trash even when Katapult leaves out the details', async () => {
    const { alert } = await renderError(katapult(406, 'object_in_trash', { trash_object: null }));
    expect(alert).toHaveTextContent(/object is in the trash/);
    expect(alert).not.toHaveTextContent(/undefined|null|NaN|Invalid Date/);
  });

  it('offers the networks the VM does have on interface_not_found, as one-click lookups', async () => {
    const { alert, onLookup, user } = await renderError(katapult(404, 'interface_not_found'));
    const choice = await within(alert).findByRole('button', { name: /Private LAN/ });
    expect(within(alert).getByRole('button', { name: /Public Network \(London\)/ })).toBeInTheDocument();
    expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
    await user.click(choice);
    expect(onLookup).toHaveBeenCalledWith({ vm: TARGET.vm, network: { kind: 'id', value: DEMO.privateNetwork } });
  });

  it('has a retry button for 503', async () => {
    const { alert, onRetry, user } = await renderError(katapult(503, 'service_unavailable'));
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('counts down to the automatic retry after a 429, longer for each further 429', async () => {
    vi.useFakeTimers();
    const error = katapult(429, 'rate_limit_reached', { total_permitted: 60 });
    const onRetryNow = vi.fn();
    // Where it is used, the wait is keyed by the attempt and told the delay react-query scheduled.
    let nextAttempt: (attempt: number) => void = () => undefined;
    function Waiting() {
      const [attempt, setAttempt] = useState(1);
      nextAttempt = setAttempt;
      const waitMs = scheduledRetryMs({ failureCount: attempt, failureReason: error });
      return <RateLimitWait key={attempt} error={error} attempt={attempt} waitMs={waitMs} onRetryNow={onRetryNow} />;
    }
    await renderWithProviders(<Waiting />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('60 requests a minute');
    expect(alert).toHaveTextContent('Code: rate_limit_reached · HTTP 429');
    expect(within(alert).getByRole('timer')).toHaveTextContent(`Trying again in ${rateLimitDelay(0)} s (attempt 1)`);
    tick(1);
    expect(within(alert).getByRole('timer')).toHaveTextContent(`Trying again in ${rateLimitDelay(0) - 1} s`);
    tick(rateLimitDelay(0) - 1);
    expect(within(alert).getByRole('timer')).toHaveTextContent('Trying again now');

    act(() => nextAttempt(2));
    expect(screen.getByRole('timer')).toHaveTextContent(`Trying again in ${rateLimitDelay(1)} s (attempt 2)`);
    act(() => screen.getByRole('button', { name: 'Retry now' }).click());
    expect(onRetryNow).toHaveBeenCalledTimes(1);
  });

  it('offers Try again once the automatic retries after 429 are used up', async () => {
    const { alert } = await renderError(katapult(429, 'rate_limit_reached', { total_permitted: 60 }));
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows an unknown code with its status and Katapult’s description', async () => {
    const { alert } = await renderError(katapult(418, 'teapot_refusal'));
    expect(alert).toHaveTextContent(/does not know \(HTTP 418\)/);
    expect(alert).toHaveTextContent('Katapult says teapot_refusal');
    expect(alert).toHaveTextContent('Code: teapot_refusal · HTTP 418');
  });

  it.each([
    ['an HTML page from a proxy', 502, '<html><head><title>x</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', /502 Bad Gateway nginx/],
    ['an empty body', 504, '', /HTTP 504 Gateway Timeout/],
    ['truncated JSON', 500, '{"error": {"code": "serv', /\{"error": \{"code": "serv/],
    ['JSON that is not an error envelope', 500, '{"ok": false}', /HTTP 500/],
  ])('shows %s with its HTTP status', async (_name, status, body, text) => {
    const { alert } = await renderError(errorFromBody(status, body));
    expect(alert).toHaveTextContent(`Unexpected response (HTTP ${status}`);
    expect(alert).toHaveTextContent(text);
    expect(alert).toHaveTextContent(`Code: HTTP ${status}`);
    expect(alert).not.toHaveTextContent('<h1>');
  });

  it('says when the panel’s server could not be reached', async () => {
    const { alert } = await renderError(networkError(new TypeError('Failed to fetch')));
    expect(alert).toHaveTextContent(/could not reach its server/);
    expect(alert).toHaveTextContent('Code: network error');
  });
});
