// Small statistics for bench results: percentiles by nearest rank.

/** Nearest-rank percentile of `values` (q in 0..1); NaN for an empty list. Sorts a copy. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}
