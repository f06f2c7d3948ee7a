// Durations as the config and expressions write them: `250ms`, `2s`, `1.5m`, `1h`.

/** Milliseconds per duration unit. */
export const DURATION_UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A whole duration string; also the config schema's `pattern`, so it stays plain JSON Schema. */
export const DURATION_PATTERN = "^\\d+(\\.\\d+)?(ms|s|m|h)$";
const DURATION = new RegExp(DURATION_PATTERN);

/** `30s`, `250ms`, `1.5m` or a number of milliseconds → milliseconds; NaN for anything else. */
export function durationMs(value: number | string): number {
  if (typeof value === "number") return value;
  const match = DURATION.exec(value);
  return match ? Number.parseFloat(value) * DURATION_UNIT_MS[match[2]!]! : Number.NaN;
}

/** The longest wait a timer takes (2^31-1 ms, about 24.8 days): past it, setTimeout fires at once. */
export const TIMER_MAX_MS = 2 ** 31 - 1;
