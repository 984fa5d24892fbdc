/** Katapult's list endpoints answer one page at a time, with `pagination.total_pages`. */

/** Items asked for per page: Katapult's largest page. */
export const PER_PAGE = 100;
/** Pages fetched at the most (5,000 items): a safety stop, not a limit any real list reaches. */
const MAX_PAGES = 50;

/**
 * Every item of a paginated list: page 1 first (it says how many pages there are), then the rest
 * in parallel, in page order.
 */
export async function fetchAllPages<P extends { pagination?: { total_pages?: number | null | undefined } | undefined }, T>(
  fetchPage: (page: number) => Promise<P>,
  items: (page: P) => T[],
): Promise<T[]> {
  const first = await fetchPage(1);
  const total = Math.min(first.pagination?.total_pages ?? 1, MAX_PAGES);
  const rest = await Promise.all(Array.from({ length: Math.max(0, total - 1) }, (_, i) => fetchPage(i + 2)));
  return [first, ...rest].flatMap(items);
}
