/**
 * Demo mode's history: a new demo session's audit starts with a dozen changes of the last few days,
 * made by colleagues with readable demo names, on the VMs, interfaces, networks and speed profiles of
 * that session's own mock data, so the Audit view's presets and "Recent changes" have something to
 * show. Written once per demo scope, when the server first sees it; nothing else writes past dates.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Seed } from '../../mock/seed.ts';
import { CHANGE_NOT_PERMITTED } from '../../protocol/panel.ts';
import { demoUserName } from './demo-user.ts';
import type { AuditStore, PastChange } from './store.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * One interface's changes, oldest first. `to` of the last completed one is the interface's profile
 * now (checked when the history is built), so "Change back" is offered only where it is true.
 */
interface Step {
  /** How long before the session's start. */
  ago: number;
  /** Which colleague (0–3). */
  by: number;
  from: string;
  to: string;
  outcome: PastChange['outcome'];
}

/** By interface id: profiles by permalink, as the seed (mock/seed.ts) holds them. */
const HISTORY: Record<string, Step[]> = {
  // db-02 on the public network (100 Mbps now).
  vmnet_Db02Publ1cNet01: [
    { ago: 4 * DAY + 6 * HOUR, by: 0, from: '1gbps', to: '250mbps', outcome: 'completed' },
    { ago: DAY, by: 1, from: '250mbps', to: '100mbps', outcome: 'completed' },
    { ago: 2 * HOUR + 40 * MINUTE, by: 2, from: '100mbps', to: '250mbps', outcome: 'failed' },
  ],
  // legacy-03 on the legacy network (250 Mbps now).
  vmnet_Leg4cy03Net0001: [
    { ago: 4 * DAY + HOUR, by: 2, from: '250mbps', to: '100mbps', outcome: 'completed' },
    { ago: 3 * DAY + 4 * HOUR, by: 0, from: '100mbps', to: '250mbps', outcome: 'completed' },
  ],
  // web-01 on the private LAN (10 Gbps now).
  vmnet_W3b01Priv4teLan1: [
    { ago: 4 * DAY + 10 * HOUR, by: 1, from: '10gbps', to: '2-5gbps', outcome: 'completed' },
    { ago: 3 * DAY + HOUR, by: 0, from: '2-5gbps', to: '10gbps', outcome: 'completed' },
  ],
  // spare-05 on the public network (500 Mbps now).
  vmnet_N0Ips05Public01: [{ ago: 4 * DAY + 20 * HOUR, by: 2, from: '100mbps', to: '500mbps', outcome: 'completed' }],
  // flaky-06, whose tasks fail (1 Gbps now).
  vmnet_Fa1l06Public001: [
    { ago: 2 * DAY + 3 * HOUR, by: 1, from: '1gbps', to: '2-5gbps', outcome: 'failed' },
    { ago: 35 * MINUTE, by: 2, from: '1gbps', to: '500mbps', outcome: 'failed' },
  ],
  // web-01 on the public network (1 Gbps now): nothing changed it, so nothing there can be changed back.
  vmnet_olNAz8ThH0emHvdr: [
    { ago: DAY + 2 * HOUR, by: 1, from: '1gbps', to: '1gbps', outcome: 'already_assigned' },
    { ago: HOUR + 20 * MINUTE, by: 3, from: '1gbps', to: '10gbps', outcome: 'rejected' },
  ],
};

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A task id of Katapult's shape, the same for the same session and change. */
const taskId = (scope: string, n: number) => `task_${[...hash(scope, 'task', String(n)).subarray(0, 16)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;

/** Four colleagues of the session's own demo user: readable names, none of them the user's own. */
export function colleaguesOf(session: string): string[] {
  const own = demoUserName(session);
  const names: string[] = [];
  for (let k = 0; names.length < 4; k++) {
    const name = demoUserName(`${session}#colleague-${k}`);
    if (name !== own && !names.some((n) => n.split('-')[2] === name.split('-')[2])) names.push(name);
  }
  return names;
}

/**
 * The history of a session whose mock holds `data`, dated back from `start`. Throws when the seed
 * no longer holds what the history names, or when an interface's newest completed change does not
 * end on its profile now (a stale history would offer a false "Change back").
 */
export function demoHistory(data: Seed, start: Date, session: string, scope: string): PastChange[] {
  const users = colleaguesOf(session);
  const profile = (permalink: string) => {
    const p = data.speedProfiles.find((x) => x.permalink === permalink);
    if (!p) throw new Error(`demo history: no speed profile ${permalink}`);
    return p;
  };
  const out: PastChange[] = [];
  let n = 0;
  for (const [interfaceId, steps] of Object.entries(HISTORY)) {
    const nic = data.interfaces.find((i) => i.id === interfaceId);
    const vm = data.vms.find((v) => v.vm.id === nic?.vmId)?.vm;
    const network = data.networks.find((x) => x.id === nic?.networkId);
    if (!nic || !vm || !network) throw new Error(`demo history: no interface ${interfaceId} with its VM and network`);
    const lastCompleted = steps.findLast((s) => s.outcome === 'completed');
    if (lastCompleted && profile(lastCompleted.to).id !== nic.speedProfileId) {
      throw new Error(`demo history: ${interfaceId} is not on ${lastCompleted.to} now`);
    }
    for (const s of steps) {
      const from = profile(s.from);
      const to = profile(s.to);
      const at = new Date(start.getTime() - s.ago);
      // A task ran for the changes Katapult accepted; a refusal and "already assigned" never had one.
      const ran = s.outcome === 'completed' || s.outcome === 'failed';
      out.push({
        at,
        endedAt: new Date(at.getTime() + (ran ? 18_000 + (n % 5) * 4_000 : 0)),
        user: users[s.by] ?? users[0]!,
        interfaceId,
        vm: { id: vm.id, name: vm.name },
        network: { id: network.id, name: network.name },
        fromProfile: { id: from.id, name: from.name },
        fromSource: 'katapult',
        toProfile: { id: to.id, permalink: to.permalink, name: to.name },
        outcome: s.outcome,
        taskId: ran ? taskId(scope, n) : null,
        errorCode: s.outcome === 'rejected' ? CHANGE_NOT_PERMITTED : s.outcome === 'already_assigned' ? 'speed_profile_already_assigned' : null,
      });
      n += 1;
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

export interface DemoHistoryOptions {
  store: AuditStore;
  /** The request's demo session and audit scope (server/plugins/demo-mock.ts). */
  sessionOf: (cookie: string | undefined) => string;
  scopeOf: (cookie: string | undefined) => string;
  /** The session's mock data as it is now (the embedded mock's state). */
  dataOf: (session: string) => Seed;
  log: { warn: (obj: object, msg: string) => void };
}

/** Scopes this process has written (or found written) already: the database is asked once per scope. */
const MAX_REMEMBERED = 2000;

/**
 * An onRequest hook for the panel's API: a demo scope seen for the first time gets its history
 * before the request goes on, so its first audit read already lists it. A database failure is
 * logged and tried again on the scope's next request; a session whose mock data no longer matches
 * the history (it has been changed, so it is not new) gets none. The request goes on either way.
 */
export function demoHistoryHook({ store, sessionOf, scopeOf, dataOf, log }: DemoHistoryOptions) {
  const seen = new Map<string, Promise<void>>();
  const write = async (scope: string, session: string) => {
    let history: PastChange[];
    try {
      history = demoHistory(dataOf(session), store.now(), session, scope);
    } catch (e) {
      log.warn({ err: e, scope }, 'demo history: not written, the session’s data has moved on');
      return;
    }
    try {
      await store.recordDemoHistory(scope, history);
    } catch (e) {
      seen.delete(scope);
      log.warn({ err: e, scope }, 'demo history: not written');
    }
  };
  return async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const scope = scopeOf(req.headers.cookie);
    let done = seen.get(scope);
    if (!done) {
      done = write(scope, sessionOf(req.headers.cookie));
      if (seen.size >= MAX_REMEMBERED) seen.delete(seen.keys().next().value ?? '');
      seen.set(scope, done);
    }
    await done;
  };
}
