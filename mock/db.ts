/**
 * The mock's state: one isolated copy of the seed per session (tests run in parallel against one
 * server, each with its own session cookie), a log of requests, injected faults and task timing.
 * Tasks advance with the wall clock and are settled lazily on every request, so no timers run.
 */
import type { Task } from '../protocol/katapult.ts';
import { createSeed, type Seed } from './seed.ts';

export interface Fault {
  /** Endpoint path as in the Katapult docs (`/tasks/task`), or `*` for every endpoint. */
  endpoint: string;
  method?: 'GET' | 'PATCH';
  /** Only when every listed query parameter has this value. */
  match?: Record<string, string>;
  status?: number;
  /** Katapult error code; with `status`, answers with the live API's wrapped envelope. */
  code?: string;
  description?: string;
  detail?: Record<string, unknown>;
  /** `unwrapped` answers as the docs show (`{code,description,detail}` at the top level). */
  envelope?: 'wrapped' | 'unwrapped';
  /** Any JSON body (wrong shapes, extra fields). */
  json?: unknown;
  /** A raw body (HTML error page, truncated JSON, empty string). */
  raw?: string;
  contentType?: string;
  /** Answer as a network failure. */
  networkError?: boolean;
  /** Extra delay before answering (or before the normal answer, when nothing else is set). */
  delayMs?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
  /** For how long it stays active, from when it was added. */
  forMs?: number;
}

interface ActiveFault extends Fault {
  addedAt: number;
  used: number;
}

export type TaskOutcome = 'complete' | 'fail' | 'stuck';
export type TaskProgressMode = 'normal' | 'absent' | 'backwards';

export interface MockConfig {
  /** Delay before every answer, in ms (the bench uses 100). */
  latencyMs: number;
  /** How long a task created by a PATCH takes, in ms (0: already completed in the PATCH answer). */
  taskDurationMs: number;
  taskOutcome: TaskOutcome;
  taskProgress: TaskProgressMode;
  /** The largest page the paginated endpoints will return, so pagination is always exercised. */
  maxPerPage: number;
  /**
   * `manual`: tasks' time stands still and moves only by `/__mock/advance`, so a test can see a
   * running task for as long as it needs, and end it when it chooses, whatever the machine's load.
   */
  taskClock: 'real' | 'manual';
}

export const DEFAULT_CONFIG: MockConfig = {
  latencyMs: 0,
  taskDurationMs: 4000,
  taskOutcome: 'complete',
  taskProgress: 'normal',
  maxPerPage: 4,
  taskClock: 'real',
};

export interface TaskRecord {
  id: string;
  name: string;
  interfaceId: string;
  speedProfileId: string;
  createdMs: number;
  durationMs: number;
  outcome: TaskOutcome;
  progressMode: TaskProgressMode;
  applied: boolean;
}

export interface LoggedRequest {
  method: string;
  endpoint: string;
  query: Record<string, string>;
  body?: unknown;
  at: number;
}

const PENDING_MS = 300;

export class MockDb {
  data: Seed;
  config: MockConfig;
  tasks = new Map<string, TaskRecord>();
  faults: ActiveFault[] = [];
  log: LoggedRequest[] = [];
  /** The tasks' time under the manual clock. */
  private manualNowMs = Date.now();

  constructor(config: Partial<MockConfig> = {}) {
    this.data = createSeed(Math.floor(Date.now() / 1000));
    this.config = { ...DEFAULT_CONFIG, ...config };
  }

  /** Now, for tasks: the real clock, or the manual one. */
  now(): number {
    return this.config.taskClock === 'manual' ? this.manualNowMs : Date.now();
  }

  setConfig(config: Partial<MockConfig>) {
    if (config.taskClock === 'manual' && this.config.taskClock !== 'manual') this.manualNowMs = Date.now();
    this.config = { ...this.config, ...config };
  }

  /** Moves the manual clock on, and lets the tasks whose time is up change their interfaces. */
  advance(ms: number) {
    this.manualNowMs += ms;
    this.settle();
  }

  addFaults(faults: Fault[]) {
    const now = Date.now();
    this.faults.push(...faults.map((f) => ({ ...f, addedAt: now, used: 0 })));
  }

  /** The first active fault matching this request, counted as used. */
  takeFault(method: string, endpoint: string, query: URLSearchParams): Fault | undefined {
    const now = Date.now();
    this.faults = this.faults.filter(
      (f) => (f.times === undefined || f.used < f.times) && (f.forMs === undefined || now - f.addedAt < f.forMs),
    );
    const fault = this.faults.find(
      (f) =>
        (f.endpoint === '*' || f.endpoint === endpoint) &&
        (!f.method || f.method === method) &&
        Object.entries(f.match ?? {}).every(([k, v]) => query.get(k) === v),
    );
    if (fault) fault.used += 1;
    return fault;
  }

  createTask(interfaceId: string, speedProfileId: string): TaskRecord {
    const t: TaskRecord = {
      id: `task_${randomId()}`,
      name: 'Update network speed profile',
      interfaceId,
      speedProfileId,
      createdMs: this.now(),
      durationMs: this.config.taskDurationMs,
      outcome: this.vmOf(interfaceId)?.tasksFail ? 'fail' : this.config.taskOutcome,
      progressMode: this.config.taskProgress,
      applied: false,
    };
    this.tasks.set(t.id, t);
    this.settle();
    return t;
  }

  private vmOf(interfaceId: string) {
    const nic = this.data.interfaces.find((i) => i.id === interfaceId);
    return this.data.vms.find((v) => v.vm.id === nic?.vmId);
  }

  /** When a task's time is up, really change the interface (once). */
  settle(now = this.now()) {
    for (const t of this.tasks.values()) {
      if (t.applied || t.outcome !== 'complete' || now - t.createdMs < t.durationMs) continue;
      const nic = this.data.interfaces.find((i) => i.id === t.interfaceId);
      if (nic) nic.speedProfileId = t.speedProfileId;
      t.applied = true;
    }
  }

  /** Tasks not yet finished that would give this interface this profile. */
  pendingChange(interfaceId: string, speedProfileId: string, now = this.now()) {
    return [...this.tasks.values()].some(
      (t) =>
        t.interfaceId === interfaceId &&
        t.speedProfileId === speedProfileId &&
        t.outcome !== 'fail' &&
        (t.outcome === 'stuck' || now - t.createdMs < t.durationMs),
    );
  }

  taskView(t: TaskRecord, now = this.now()): Task {
    const elapsed = now - t.createdMs;
    const s = (ms: number) => Math.floor(ms / 1000);
    const pendingMs = Math.min(PENDING_MS, t.durationMs / 10);
    const base: Task = { id: t.id, name: t.name, created_at: s(t.createdMs) };
    const withProgress = (task: Task, progress: number): Task =>
      t.progressMode === 'absent' ? task : { ...task, progress };
    if (t.outcome !== 'stuck' && elapsed >= t.durationMs) {
      return withProgress(
        {
          ...base,
          status: t.outcome === 'complete' ? 'completed' : 'failed',
          started_at: s(t.createdMs + pendingMs),
          finished_at: s(t.createdMs + t.durationMs),
        },
        t.outcome === 'complete' ? 100 : 40,
      );
    }
    if (elapsed < pendingMs) return withProgress({ ...base, status: 'pending', started_at: null, finished_at: null }, 0);
    let progress = Math.min(99, Math.floor(((elapsed - pendingMs) / Math.max(1, t.durationMs - pendingMs)) * 100));
    if (t.outcome === 'stuck') progress = Math.min(90, Math.floor(elapsed / 100));
    if (t.progressMode === 'backwards') progress = Math.floor(elapsed / 250) % 2 === 0 ? 60 : 30;
    return withProgress({ ...base, status: 'running', started_at: s(t.createdMs + pendingMs), finished_at: null }, progress);
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomId(length = 16) {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** Sessions: `katapult-mock-session` cookie or `x-mock-session` header; `default` otherwise. */
export const SESSION_COOKIE = 'katapult-mock-session';
const MAX_SESSIONS = 500;
/** In order of last use, least recent first (a Map keeps insertion order; each use re-inserts). */
const sessions = new Map<string, MockDb>();

/**
 * The session a Cookie header names, or undefined. The one parse of the cookie: the mock keys its
 * state on it and the panel's server its locks and audit scope, so the two can never disagree. As
 * cookie libraries do, the first occurrence wins, surrounding quotes go and %XX is decoded (so
 * `%64ave` is `dave` everywhere); an empty value names no session.
 */
export function sessionFromCookie(header: string | null | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        // A malformed escape stays as written, as the cookie libraries leave it.
      }
    }
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** A Cookie header that names `session`: encoded, so that sessionFromCookie reads back exactly `session`. */
export const sessionCookie = (session: string) => `${SESSION_COOKIE}=${encodeURIComponent(session)}`;

export function getDb(session = 'default'): MockDb {
  let db = sessions.get(session);
  if (db) {
    // Used now: to the back of the eviction order, so an active demo outlives a burst of new visitors.
    sessions.delete(session);
    sessions.set(session, db);
    return db;
  }
  if (sessions.size >= MAX_SESSIONS) {
    const leastRecent = sessions.keys().next().value;
    if (leastRecent !== undefined) sessions.delete(leastRecent);
  }
  db = new MockDb();
  sessions.set(session, db);
  return db;
}

export function resetDb(session = 'default', config: Partial<MockConfig> = {}): MockDb {
  const db = new MockDb(config);
  sessions.delete(session);
  sessions.set(session, db);
  return db;
}
