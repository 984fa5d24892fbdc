/** The audit list's query parameters: one zod schema, each bad value named in a 400 invalid_audit_filter. */
import * as z from 'zod';
import { hasControls } from './context.ts';
import { OUTCOMES } from './db.ts';

export const OUTCOME_FILTERS = [...OUTCOMES, 'not_seen'] as const;
export type OutcomeFilter = (typeof OUTCOME_FILTERS)[number];

export interface AuditFilters {
  vm?: string;
  interface?: string;
  user?: string;
  outcome?: OutcomeFilter;
  /** Inclusive bounds on `at`, as ISO 8601 UTC strings with milliseconds. */
  from?: string;
  to?: string;
}

export interface AuditPage {
  limit: number;
  cursor?: { at: string; id: string };
}

const DAY_MS = 86_400_000;
/** Recorded text never holds control characters (context.ts), so a filter with one is a mistake, not a search. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControls(v), 'must not contain control characters');
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true, local: false });

/** A date or date-time to an ISO UTC instant; a bare date means its first (or, for `to`, last) millisecond. */
const instant = (end: boolean) =>
  z
    .string()
    .trim()
    .refine((v) => isoDate.safeParse(v).success || isoDateTime.safeParse(v).success, {
      message: 'must be an ISO 8601 date (2026-12-01) or date-time (2026-12-01T09:30:00Z)',
    })
    .transform((v, ctx) => {
      const bare = isoDate.safeParse(v).success;
      const ms = Date.parse(bare ? `${v}T00:00:00.000Z` : v);
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: 'is not a real date' });
        return z.NEVER;
      }
      return new Date(bare && end ? ms + DAY_MS - 1 : ms).toISOString();
    });

const filterShape = {
  vm: text(200).optional(),
  interface: text(200).optional(),
  user: text(320).optional(),
  outcome: z.enum(OUTCOME_FILTERS, { message: `must be one of ${OUTCOME_FILTERS.join(', ')}` }).optional(),
  from: instant(false).optional(),
  to: instant(true).optional(),
};

const cursorSchema = z
  .string()
  .max(200)
  .transform((v, ctx) => {
    try {
      const parsed = z
        .tuple([z.iso.datetime(), z.string().regex(/^aud_[0-9A-Za-z]{16}$/)])
        .parse(JSON.parse(Buffer.from(v, 'base64url').toString('utf8')));
      return { at: parsed[0], id: parsed[1] };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this server gave out' });
      return z.NEVER;
    }
  });

export const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

const listSchema = z
  .strictObject({
    ...filterShape,
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 100, 'must be a whole number from 1 to 100')
      .optional(),
    cursor: cursorSchema.optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'must not be before from', path: ['to'] });

const csvSchema = z
  .strictObject(filterShape)
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'must not be before from', path: ['to'] });

export class AuditFilterError extends Error {
  override name = 'AuditFilterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | string[] | undefined>;

function parseWith<S extends z.ZodType>(schema: S, query: Query): z.output<S> {
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) throw new AuditFilterError(k, `The audit filter “${k}” was given more than once.`);
  }
  // An empty parameter (a cleared form field) means "no filter".
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  const r = schema.safeParse(given);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    throw new AuditFilterError(key, `“${key}” is not an audit filter; use vm, interface, user, outcome, from, to, limit or cursor.`);
  }
  const parameter = String(issue.path[0] ?? 'query');
  throw new AuditFilterError(parameter, `The audit filter “${parameter}” ${issue.message}.`);
}

export function parseListQuery(query: Query): { filters: AuditFilters; page: AuditPage } {
  const { limit, cursor, ...filters } = parseWith(listSchema, query);
  return { filters, page: { limit: limit ?? 25, ...(cursor ? { cursor } : {}) } };
}

export function parseCsvQuery(query: Query): AuditFilters {
  return parseWith(csvSchema, query);
}
