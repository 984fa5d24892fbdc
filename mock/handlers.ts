/**
 * The one stateful mock of the Katapult Core API endpoints the panel uses. It behaves like the
 * live API rather than the docs: errors come wrapped as {"error":{code,description,detail}}.
 * The same handlers serve Vitest (msw/node), the server's demo mode (msw getResponse) and e2e.
 *
 * Test control, under any base URL:
 *   POST   /__mock/reset            body: Partial<MockConfig>   fresh seed for this session
 *   POST   /__mock/config           body: Partial<MockConfig>
 *   POST   /__mock/faults           body: Fault | Fault[]
 *   DELETE /__mock/faults
 *   GET    /__mock/requests         the requests this session made (control calls excluded)
 *   GET    /__mock/state            interfaces' current profiles and tasks
 */
import { delay, http, HttpResponse, type HttpResponseResolver } from 'msw';
import { katapultError as envelope } from '../protocol/panel.ts';
import type { SpeedProfile } from '../protocol/katapult.ts';
import { ipAddressBody } from './ip-addresses.ts';
import { getDb, resetDb, sessionFromCookie, type Fault, type MockConfig, type MockDb } from './db.ts';
import type { InterfaceRecord } from './seed.ts';

const DESCRIPTIONS: Record<string, string> = {
  virtual_machine_not_found: 'No virtual machine was found matching any of the criteria provided in the arguments',
  network_not_found: 'No network was found matching any of the criteria provided in the arguments',
  interface_not_found: 'An interface could not be found for the specified network',
  object_in_trash:
    'The object found is in the trash and therefore cannot be manipulated through the API. It should be restored in order to run this operation.',
  virtual_machine_network_interface_not_found:
    'No network interface was found matching any of the criteria provided in the arguments',
  network_speed_profile_not_found: 'No network speed profile was found matching any of the criteria provided in the arguments',
  speed_profile_already_assigned: 'This network speed profile is already assigned to this virtual machine network interface.',
  task_not_found: 'No task was found matching any of the criteria provided in the arguments',
  organization_not_found: 'No organization was found matching any of the criteria provided in the arguments',
  task_queueing_error: 'This error means that a background task that was needed to complete your request could not be queued',
  rate_limit_reached: 'You have reached the rate limit for this type of request',
  service_unavailable: 'The service is currently unavailable, please try again later',
  missing_api_token: 'No API token was provided in the Authorization header. Ensure a token is provided prefixed with Bearer',
  invalid_api_token: 'The API token provided was not valid (it may not exist or have expired)',
  scope_not_granted: 'The scope required for this endpoint has not been granted to the authenticating identity',
  invalid_capabilities_token:
    'The capabilities token provided was not valid (either not valid, expired or not signed by the correct key)',
  unauthorized_network_for_api_token: 'Network is not allowed to access the API with this API token',
  ip_address_not_found: 'No IP addresses were found matching any of the criteria provided in the arguments',
  validation_error: 'A validation error occurred with the object that was being created/updated/deleted',
};

export function katapultError(
  status: number,
  code: string,
  detail: Record<string, unknown> = {},
  opts: { description?: string | undefined; envelope?: 'wrapped' | 'unwrapped' | undefined } = {},
) {
  const wrapped = envelope(code, opts.description ?? DESCRIPTIONS[code] ?? code, detail);
  return HttpResponse.json(opts.envelope === 'unwrapped' ? wrapped.error : wrapped, { status });
}

function faultResponse(f: Fault): Response | undefined {
  if (f.networkError) return HttpResponse.error();
  const headers = { 'Content-Type': f.contentType ?? 'application/json' };
  if (f.raw !== undefined) return new HttpResponse(f.raw, { status: f.status ?? 200, headers });
  if (f.json !== undefined) return HttpResponse.json(f.json as object, { status: f.status ?? 200 });
  if (f.code) return katapultError(f.status ?? 400, f.code, f.detail ?? {}, f);
  return undefined;
}

interface Ctx {
  db: MockDb;
  url: URL;
  q: URLSearchParams;
  body: unknown;
}

/** The session's cookie is read by the same parse as the panel server's lock scope (mock/db.ts). */
const sessionOf = (request: Request) => request.headers.get('x-mock-session') ?? sessionFromCookie(request.headers.get('cookie')) ?? 'default';

function route(method: 'GET' | 'PATCH', endpoint: string, resolve: (ctx: Ctx) => Response | Promise<Response>) {
  const resolver: HttpResponseResolver = async ({ request }) => {
    // The configured latency counts from here, so the mock's own parsing is not added to it.
    const receivedAt = performance.now();
    const db = getDb(sessionOf(request));
    const url = new URL(request.url);
    const body: unknown = method === 'PATCH' ? await request.clone().json().catch(() => undefined) : undefined;
    db.log.push({ method, endpoint, query: Object.fromEntries(url.searchParams), body, at: Date.now() });
    const fault = db.takeFault(method, endpoint, url.searchParams);
    const wait = db.config.latencyMs + (fault?.delayMs ?? 0) - (performance.now() - receivedAt);
    if (wait > 0) await delay(wait);
    const injected = fault && faultResponse(fault);
    if (injected) return injected;
    db.settle();
    return resolve({ db, url, q: url.searchParams, body });
  };
  return method === 'GET' ? http.get(`*${endpoint}`, resolver) : http.patch(`*${endpoint}`, resolver);
}

/** `a[id]` or `a[other]`, exactly one of them, as the API insists. */
function oneOf(q: URLSearchParams, object: string, keys: string[]): { key: string; value: string } | Response {
  const given = keys.filter((k) => q.has(`${object}[${k}]`));
  if (given.length !== 1) {
    return katapultError(400, 'validation_error', {
      errors: [`Exactly one of ${keys.map((k) => `${object}[${k}]`).join(', ')} must be provided`],
    });
  }
  const key = given[0] as string;
  return { key, value: q.get(`${object}[${key}]`) ?? '' };
}

function findVm(db: MockDb, q: URLSearchParams) {
  const by = oneOf(q, 'virtual_machine', ['id', 'fqdn']);
  if (by instanceof Response) return by;
  const rec = db.data.vms.find((v) => (by.key === 'id' ? v.vm.id === by.value : v.vm.fqdn === by.value));
  if (!rec) return katapultError(404, 'virtual_machine_not_found');
  if (rec.trashedUntil !== undefined) {
    return katapultError(406, 'object_in_trash', {
      trash_object: { id: `trsh_${rec.vm.id?.slice(3)}`, keep_until: rec.trashedUntil, object_id: rec.vm.id, object_type: 'VirtualMachine' },
    });
  }
  return rec;
}

function paginate<T>(items: T[], q: URLSearchParams, max: number) {
  const perPage = Math.max(1, Math.min(Number(q.get('per_page')) || 30, max));
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.max(1, Number(q.get('page')) || 1);
  return {
    pagination: { current_page: page, total_pages: totalPages, total: items.length, per_page: perPage, large_set: false },
    items: items.slice((page - 1) * perPage, page * perPage),
  };
}

const publicProfile = ({ id, name, permalink, upload_speed_in_mbit, download_speed_in_mbit }: SpeedProfile) => ({
  id,
  name,
  permalink,
  upload_speed_in_mbit,
  download_speed_in_mbit,
});

function nicBody(db: MockDb, nic: InterfaceRecord) {
  const vm = db.data.vms.find((v) => v.vm.id === nic.vmId)?.vm;
  const network = db.data.networks.find((n) => n.id === nic.networkId);
  const vnet = db.data.virtualNetworks.find((n) => n.id === nic.virtualNetworkId);
  return {
    id: nic.id,
    virtual_machine: { id: vm?.id, name: vm?.name },
    name: nic.name,
    network: network ? { id: network.id, name: network.name } : null,
    virtual_network: vnet ? { id: vnet.id, name: vnet.name } : null,
    mac_address: nic.mac,
    state: nic.state,
    ...(nic.ips ? { ip_addresses: nic.ips } : {}),
  };
}

/** Katapult's endpoints, as the panel's server reaches them (demo mode: through the loopback listener). */
export const apiHandlers = [
  route('GET', '/virtual_machines/virtual_machine/networks/network/interface', ({ db, q }) => {
    const vm = findVm(db, q);
    if (vm instanceof Response) return vm;
    const by = oneOf(q, 'network', ['id', 'permalink']);
    if (by instanceof Response) return by;
    const network =
      by.key === 'id'
        ? (db.data.networks.find((n) => n.id === by.value) ?? db.data.virtualNetworks.find((n) => n.id === by.value))
        : db.data.networks.find((n) => n.permalink === by.value);
    if (!network) return katapultError(404, 'network_not_found');
    const nic = db.data.interfaces.find(
      (i) => i.vmId === vm.vm.id && (i.networkId === network.id || i.virtualNetworkId === network.id),
    );
    if (!nic) return katapultError(404, 'interface_not_found');
    return HttpResponse.json({ virtual_machine_network_interface: nicBody(db, nic) });
  }),

  route('GET', '/virtual_machine_network_interfaces/virtual_machine_network_interface', ({ db, q }) => {
    const id = q.get('virtual_machine_network_interface[id]');
    const nic = db.data.interfaces.find((i) => i.id === id);
    if (!nic) return katapultError(404, 'virtual_machine_network_interface_not_found');
    const p = db.data.speedProfiles.find((s) => s.id === nic.speedProfileId);
    return HttpResponse.json({
      virtual_machine_network_interface: {
        ...nicBody(db, nic),
        speed_profile: p ? { id: p.id, name: p.name, permalink: p.permalink } : undefined,
      },
    });
  }),

  route('GET', '/virtual_machines/virtual_machine', ({ db, q }) => {
    const vm = findVm(db, q);
    if (vm instanceof Response) return vm;
    return HttpResponse.json({ virtual_machine: vm.vm, annotations: [] });
  }),

  route('GET', '/virtual_machines/virtual_machine/network_interfaces', ({ db, q }) => {
    const vm = findVm(db, q);
    if (vm instanceof Response) return vm;
    const nics = db.data.interfaces.filter((i) => i.vmId === vm.vm.id);
    const { pagination, items } = paginate(nics, q, db.config.maxPerPage);
    return HttpResponse.json({
      pagination,
      virtual_machine_network_interfaces: items.map((nic) => {
        const { id, name, network, virtual_network, ip_addresses } = nicBody(db, nic);
        return { id, name, network, virtual_network, ip_addresses };
      }),
    });
  }),

  route('GET', '/organizations/organization/virtual_machines', ({ db, q }) => {
    const by = oneOf(q, 'organization', ['id', 'sub_domain']);
    if (by instanceof Response) return by;
    const org = db.data.organizations.find((o) => (by.key === 'id' ? o.id : o.sub_domain) === by.value);
    if (!org) return katapultError(404, 'organization_not_found');
    const vms = db.data.vms
      .filter((v) => v.vm.organization?.id === org.id)
      .map(({ vm: { id, name, hostname, fqdn, created_at } }) => ({ id, name, hostname, fqdn, created_at }));
    const { pagination, items } = paginate(vms, q, db.config.maxPerPage);
    return HttpResponse.json({ pagination, virtual_machines: items });
  }),

  route('GET', '/organizations/organization/network_speed_profiles', ({ db, q }) => {
    const by = oneOf(q, 'organization', ['id', 'sub_domain']);
    if (by instanceof Response) return by;
    const org = db.data.organizations.find((o) => (by.key === 'id' ? o.id : o.sub_domain) === by.value);
    if (!org) return katapultError(404, 'organization_not_found');
    const profiles = db.data.speedProfiles.filter((p) => p.organizationId === org.id).map(publicProfile);
    const { pagination, items } = paginate(profiles, q, db.config.maxPerPage);
    return HttpResponse.json({ pagination, network_speed_profiles: items });
  }),

  route(
    'PATCH',
    '/virtual_machine_network_interfaces/virtual_machine_network_interface/update_speed_profile',
    ({ db, body }) => {
      const b = (typeof body === 'object' && body !== null ? body : {}) as {
        virtual_machine_network_interface?: { id?: string };
        speed_profile?: { id?: string; permalink?: string };
      };
      const nic = db.data.interfaces.find((i) => i.id === b.virtual_machine_network_interface?.id);
      if (!nic) return katapultError(404, 'virtual_machine_network_interface_not_found');
      const sp = b.speed_profile ?? {};
      if ((sp.id === undefined) === (sp.permalink === undefined)) {
        return katapultError(400, 'validation_error', { errors: ['Exactly one of speed_profile[id], speed_profile[permalink]'] });
      }
      const orgId = db.data.vms.find((v) => v.vm.id === nic.vmId)?.vm.organization?.id;
      const profile = db.data.speedProfiles.find(
        (p) => p.organizationId === orgId && (sp.id !== undefined ? p.id === sp.id : p.permalink === sp.permalink),
      );
      if (!profile) return katapultError(404, 'network_speed_profile_not_found');
      if (nic.speedProfileId === profile.id || db.pendingChange(nic.id, profile.id)) {
        return katapultError(422, 'speed_profile_already_assigned');
      }
      const task = db.createTask(nic.id, profile.id);
      return HttpResponse.json({ task: db.taskView(task) });
    },
  ),

  route('GET', '/ip_addresses/ip_address', ({ db, q }) => {
    const by = oneOf(q, 'ip_address', ['id', 'address']);
    if (by instanceof Response) return by;
    const body = ipAddressBody(db, by);
    return body ? HttpResponse.json(body) : katapultError(404, 'ip_address_not_found');
  }),

  route('GET', '/tasks/task', ({ db, q }) => {
    const task = db.tasks.get(q.get('task[id]') ?? '');
    if (!task) return katapultError(404, 'task_not_found');
    return HttpResponse.json({ task: db.taskView(task) });
  }),
];

const control = (r: Request) => getDb(sessionOf(r));
const jsonBody = async (r: Request): Promise<unknown> => r.clone().json().catch(() => ({}));

const controlHandlers = [
  http.post('*/__mock/reset', async ({ request }) => {
    resetDb(sessionOf(request), (await jsonBody(request)) as Partial<MockConfig>);
    return HttpResponse.json({ ok: true });
  }),
  http.post('*/__mock/config', async ({ request }) => {
    const db = control(request);
    db.setConfig((await jsonBody(request)) as Partial<MockConfig>);
    return HttpResponse.json(db.config);
  }),
  http.post('*/__mock/advance', async ({ request }) => {
    const { ms } = (await jsonBody(request)) as { ms?: unknown };
    if (typeof ms !== 'number' || !(ms >= 0)) return HttpResponse.json({ error: 'ms: a number ≥ 0' }, { status: 400 });
    control(request).advance(ms);
    return HttpResponse.json({ ok: true });
  }),
  http.post('*/__mock/faults', async ({ request }) => {
    const body = await jsonBody(request);
    control(request).addFaults((Array.isArray(body) ? body : [body]) as Fault[]);
    return HttpResponse.json({ ok: true });
  }),
  http.delete('*/__mock/faults', ({ request }) => {
    control(request).faults = [];
    return HttpResponse.json({ ok: true });
  }),
  http.get('*/__mock/requests', ({ request }) => HttpResponse.json(control(request).log)),
  http.get('*/__mock/state', ({ request }) => {
    const db = control(request);
    db.settle();
    return HttpResponse.json({
      interfaces: db.data.interfaces.map((i) => ({ id: i.id, speedProfileId: i.speedProfileId })),
      tasks: [...db.tasks.values()].map((t) => db.taskView(t)),
    });
  }),
];

export const handlers = [...controlHandlers, ...apiHandlers];
