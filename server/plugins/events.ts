/**
 * GET /api/panel/events: the audit log's changes as Server-Sent Events, so every open panel sees a
 * colleague's change start, progress and end without asking (protocol/events.ts has the format).
 *
 * Written through Fastify's own reply (a PassThrough sent once), not a hijacked socket: the
 * security headers, the request log line and the graceful close's `connection: close` apply to it
 * as to any answer. (@fastify/sse exists, but is a 0.x release whose API is still moving; what this
 * needs of it is a few lines.)
 *
 * The feed (changes/feed.ts) says which record was written; the record is read once per demo scope
 * (live mode: once) and sent to each stream that wants it. A reconnect's Last-Event-ID, and a gap
 * in the feed, replay what changed since from the database. Streams end when the server closes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import type { AuditFilters } from '../audit/filters.ts';
import type { LockView } from '../audit/store.ts';
import type { ChangeFeed } from '../changes/feed.ts';
import type { AuditEntry } from '../../protocol/audit.ts';
import { CHANGE_EVENT, changeEventId, changeEventKind, EVENTS_PATH, parseChangeEventId } from '../../protocol/events.ts';
import { sendError } from '../http-errors.ts';

/** What the endpoint reads of the audit log (server/audit/store.ts). */
export interface ChangeSource {
  /** The record as `view` sees it; undefined when there is none, or it is another demo session's. */
  get(id: string, view?: LockView): Promise<AuditEntry | undefined>;
  /** Records written after `sinceIso`, oldest first (at most a few hundred). */
  changedSince(sinceIso: string, filters: AuditFilters, view?: LockView): Promise<AuditEntry[]>;
}

export interface EventsOptions {
  feed: ChangeFeed;
  store: ChangeSource;
  /** Demo mode: the browser's session; a stream carries only that session's changes. */
  lockScope?: ((req: FastifyRequest) => string | undefined) | undefined;
  /** Open streams this server holds at most; one more is refused with 503 too_many_event_streams. */
  maxStreams?: number | undefined;
  /** A comment line this often keeps proxies and browsers from timing an idle stream out. */
  heartbeatMs?: number | undefined;
}

export const MAX_EVENT_STREAMS = 1000;
export const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting a dropped stream (the `retry:` field). */
export const RECONNECT_MS = 2000;
/** A client this far behind (bytes queued) is cut off; it reconnects and replays from its Last-Event-ID. */
const MAX_QUEUED_BYTES = 1 << 20;
const INTERFACE_ID = /^vmnet_[0-9A-Za-z]{1,64}$/;

interface Stream {
  out: PassThrough;
  interfaceId: string | undefined;
  scope: string | undefined;
  /** The newest write time sent (or, before any, when the stream opened): where a replay starts. */
  since: string;
  /** Live events held while the stream's replay is read, so an older state never follows a newer one. */
  held: AuditEntry[] | undefined;
  /** The write time of each record last sent (the latest few): a state is never sent twice, nor after a newer one. */
  sent: Map<string, string>;
}

const SENT_KEPT = 200;

const frame = (entry: AuditEntry) =>
  `id: ${changeEventId(entry)}\nevent: ${CHANGE_EVENT}\ndata: ${JSON.stringify({ kind: changeEventKind(entry.outcome), entry })}\n\n`;

/** One millisecond before `iso`: a replay from there also gets records written in the same millisecond. */
const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

export async function events(app: FastifyInstance, opts: EventsOptions) {
  const { feed, store, lockScope } = opts;
  const maxStreams = opts.maxStreams ?? MAX_EVENT_STREAMS;
  const streams = new Set<Stream>();
  // Operators see how many streams are open (GET /metrics, plugins/metrics.ts), when that plugin is there.
  const gauge = app.hasDecorator('panelMetrics') ? app.panelMetrics.sseClients : undefined;
  const add = (s: Stream) => {
    streams.add(s);
    gauge?.inc();
  };
  const drop = (s: Stream) => {
    if (streams.delete(s)) gauge?.dec();
  };

  const send = (s: Stream, entry: AuditEntry) => {
    if (s.interfaceId !== undefined && entry.interface_id !== s.interfaceId) return;
    if (s.held) return void s.held.push(entry);
    const before = s.sent.get(entry.id);
    if (before !== undefined && before >= entry.updated_at) return;
    if (s.out.writableLength > MAX_QUEUED_BYTES) return void s.out.end();
    s.out.write(frame(entry));
    s.sent.delete(entry.id);
    s.sent.set(entry.id, entry.updated_at);
    if (s.sent.size > SENT_KEPT) s.sent.delete(s.sent.keys().next().value!);
    if (entry.updated_at > s.since) s.since = entry.updated_at;
  };

  // What the stream was already sent is skipped by `send`.
  const replay = (s: Stream, sinceIso: string) =>
    store.changedSince(justBefore(sinceIso), s.interfaceId ? { interface: s.interfaceId } : {}, { lockScope: s.scope });

  // Events are dispatched in the order the feed gave them, each record read once per scope (live mode: once).
  let tail = Promise.resolve();
  const onChange = (id: string) => {
    if (streams.size === 0) return;
    const scopes = new Set([...streams].map((s) => s.scope));
    const reads = [...scopes].map((scope) => ({
      scope,
      entry: store.get(id, { lockScope: scope }).catch((e: unknown) => {
        app.log.warn({ err: e, auditId: id }, 'events: the changed record could not be read');
        return undefined;
      }),
    }));
    tail = tail.then(async () => {
      for (const { scope, entry: read } of reads) {
        const entry = await read;
        if (!entry) continue;
        for (const s of streams) if (s.scope === scope) send(s, entry);
      }
    });
  };
  // The feed was deaf for a while: each stream gets what changed since the last it was sent.
  const onGap = () => {
    for (const s of streams) {
      replay(s, s.since).then(
        (entries) => entries.forEach((e) => send(s, e)),
        (e: unknown) => app.log.warn({ err: e }, 'events: replay after a gap in the feed failed'),
      );
    }
  };
  const unsubscribe = feed.subscribe(onChange, onGap);

  const heartbeat = setInterval(() => {
    for (const s of streams) if (!s.out.writableEnded) s.out.write(': keep-alive\n\n');
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  // Before the server stops listening: a stream is an answer in flight, which a close would wait for.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const s of streams) {
      s.out.end();
      drop(s);
    }
  });
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    unsubscribe();
  });

  app.get(EVENTS_PATH, async (req, reply) => {
    const q = req.query as Record<string, string | string[] | undefined>;
    const interfaceId = q.interface;
    if (interfaceId !== undefined && (typeof interfaceId !== 'string' || !INTERFACE_ID.test(interfaceId))) {
      return sendError(reply, 400, 'invalid_events_filter', 'interface must be a network interface id (vmnet_…), or left out for every change.', {
        parameter: 'interface',
      });
    }
    if (closing) return sendError(reply, 503, 'server_closing', 'This server is closing: the panel reconnects to another.');
    if (streams.size >= maxStreams) {
      reply.header('retry-after', '30');
      return sendError(
        reply,
        503,
        'too_many_event_streams',
        `This server already holds ${maxStreams} open event streams: the panel refreshes its changes on a timer instead, and tries again later.`,
      );
    }
    const scope = lockScope?.(req);
    const out = new PassThrough();
    const s: Stream = { out, interfaceId, scope, since: new Date().toISOString(), held: undefined, sent: new Map() };
    const last = parseChangeEventId(req.headers['last-event-id'] as string | undefined);
    // Live events are held until the replay is written, so none falls between the replay's read and the stream.
    if (last) s.held = [];
    add(s);
    // From now on, whichever ends first (the browser going away, the server closing) ends both.
    reply.raw.once('close', () => {
      drop(s);
      out.end();
    });
    out.once('close', () => drop(s));
    if (last) {
      s.sent.set(last.id, last.updatedAt);
      try {
        const missed = await replay(s, last.updatedAt);
        const held = s.held ?? [];
        s.held = undefined;
        s.since = last.updatedAt;
        for (const e of missed) send(s, e);
        for (const e of held) send(s, e);
      } catch (e) {
        drop(s);
        req.log.error({ err: e }, 'events: replay failed');
        return sendError(reply, 503, 'audit_unavailable', 'The audit log’s database cannot be reached: the changes since the last event cannot be replayed.');
      }
    }
    out.write(`retry: ${RECONNECT_MS}\n\n`);
    return reply
      .code(200)
      .type('text/event-stream; charset=utf-8')
      .header('cache-control', 'no-store')
      // nginx (and proxies that follow it) would otherwise buffer the stream until it ends.
      .header('x-accel-buffering', 'no')
      .send(out);
  });
}
