/** Small statistics for the bench: every figure is a median and a max over runs. */
export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
export const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : Number.NaN);

export interface Summary {
  median: number;
  max: number;
  n: number;
}
export const summarize = (xs: number[]): Summary => ({ median: median(xs), max: max(xs), n: xs.length });

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
