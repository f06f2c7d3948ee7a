// `usage --since` and `/admin/usage?since=`: a span back from now in the config's duration units
// (plus days), or a date. Anything else is refused: Date.parse reads "7" as a date in 2001, which
// silently turned "the last seven" into all time.

import { DURATION_UNIT_MS } from "./duration.ts";

const UNIT_MS: Readonly<Record<string, number>> = { ...DURATION_UNIT_MS, d: 86_400_000 };
const SPAN = new RegExp(`^(\\d+(?:\\.\\d+)?)(${Object.keys(UNIT_MS).join("|")})$`);
const BARE_NUMBER = /^\d+(\.\d+)?$/;
/** An ISO date, with a time or without: `2026-11-01`, `2026-11-01T08:00:00Z`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type Since = { at: number } | { problem: string };

/** The epoch ms that `value` names, or what is wrong with it, to follow the value; spans count back from `now`. */
export function parseSince(value: string, now: number): Since {
  const span = SPAN.exec(value);
  if (span) return { at: now - Number(span[1]) * UNIT_MS[span[2]!]! };
  if (BARE_NUMBER.test(value)) return { problem: `has no unit: write ${value}d for ${value} days (or ${value}h, ${value}m, ${value}s, ${value}ms)` };
  const date = ISO_DATE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return { problem: "is neither a span back from now (7d, 24h, 30m, 10s, 500ms) nor a date (2026-11-01)" };
  return { at: date };
}
