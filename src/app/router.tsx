/**
 * The panel's one route. Its search params are the panel's state (`?vm=&network=&task=`, `?ip=`,
 * `?view=audit` and the audit filters), validated by the features' zod schemas; its loader starts
 * every read the URL implies at once, and the components read the same queries from the cache.
 */
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRouter, type RouterHistory } from '@tanstack/react-router';
import * as z from 'zod/mini';
import type { ApiClient } from '../api/client.ts';
import { auditSearchShape } from '../features/audit/audit-filters.ts';
import { startLookupReads } from '../features/interface-lookup/lookup-reads.ts';
import { lookupParamsShape, lookupSearchSchema, type LookupSearch } from '../features/interface-lookup/lookup-schema.ts';
import { preloadLookupView } from './interface-view.tsx';
import { PanelShell } from './shell.tsx';

export interface PanelRouterContext {
  queryClient: QueryClient;
  api: ApiClient;
}

const param = z.catch(z.optional(z.string()), undefined);
const NO_LOOKUP = z.parse(lookupSearchSchema, {});

/**
 * The URL's parameters as given (plain strings, so a link or an updater keeps them), and the lookup
 * they ask for, parsed here once per navigation by the lookup's codec. In the audit view `vm` is a
 * filter and nothing is looked up.
 */
const panelParams = z.object({
  ...lookupParamsShape,
  ...auditSearchShape,
  task: param,
  view: z.catch(z.optional(z.literal('audit')), undefined),
});
export const panelSearchSchema = z.pipe(
  panelParams,
  z.transform((s: z.output<typeof panelParams>): z.output<typeof panelParams> & LookupSearch => ({
    ...s,
    ...(s.view === 'audit' ? NO_LOOKUP : z.parse(lookupSearchSchema, s)),
  })),
);
export type PanelSearch = z.output<typeof panelSearchSchema>;

export const rootRoute = createRootRouteWithContext<PanelRouterContext>()({
  validateSearch: panelSearchSchema,
  // The lookup was parsed once, by validateSearch: the loader and the components read this one value.
  loaderDeps: ({ search }) => ({ lookup: search.lookup }),
  // Not awaited: the URL and the form move on at once, and every section reads the queries in flight.
  loader: ({ context, deps }) => {
    if (!deps.lookup) return;
    startLookupReads(context, deps.lookup);
    preloadLookupView(deps.lookup);
  },
  component: PanelShell,
});

/**
 * Plain `?key=value` strings, as staff type and paste them (the router's default would JSON-parse
 * `?vm=123`). Only the strings are written: the parsed lookup beside them is not a parameter.
 */
export const parseSearch = (search: string) => Object.fromEntries(new URLSearchParams(search));
export const stringifySearch = (search: Record<string, unknown>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) if (typeof v === 'string' && v !== '') p.set(k, v);
  return p.size > 0 ? `?${p.toString()}` : '';
};

export function createPanelRouter(history: RouterHistory, context: PanelRouterContext) {
  return createRouter({
    routeTree: rootRoute,
    history,
    context,
    parseSearch,
    stringifySearch,
    // Query's cache decides what is fresh, not the router's own loader cache: the loader only starts
    // reads, so a match left behind has nothing worth keeping. Kept (5 min by default), each one held
    // its aborted load's AbortError, whose stack held the next load's matches: a chain as long as the
    // session's lookups (bench/README.md, Memory).
    defaultPreloadStaleTime: 0,
    defaultGcTime: 0,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createPanelRouter>;
  }
  interface HistoryState {
    /** The lookup the Audit tab was opened from, for the way back. */
    lookup?: { org?: string | undefined; vm?: string | undefined; network?: string | undefined; ip?: string | undefined } | undefined;
  }
}
