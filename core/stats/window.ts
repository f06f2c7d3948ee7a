// A sliding time window of outcome counts and log-scale latency histograms: O(1) per update, O(buckets) per read.

/** Bucket bounds grow by 10% each, so a percentile read is within ~5% of the true value. */
const RATIO = 1.1;
const LOG_RATIO = Math.log(RATIO);
/** Values below this (ms) share bucket 0; anything above the last bound shares the last bucket. */
const MIN_MS = 0.1;
const BUCKETS = Math.ceil(Math.log(3_600_000 / MIN_MS) / LOG_RATIO) + 1;

function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  const index = Math.floor(Math.log(ms / MIN_MS) / LOG_RATIO) + 1;
  return index < BUCKETS ? index : BUCKETS - 1;
}

/** The geometric middle of a bucket: the value a percentile read reports for it. */
function valueOf(bucket: number): number {
  if (bucket === 0) return MIN_MS;
  return MIN_MS * RATIO ** (bucket - 0.5);
}

/** Counts of one time slot, or the running sum of all slots in the window. */
class Tally {
  samples = 0;
  errors = 0;
  latency = new Uint32Array(BUCKETS);
  latencyCount = 0;
  ttft = new Uint32Array(BUCKETS);
  ttftCount = 0;

  subtract(other: Tally): void {
    this.samples -= other.samples;
    this.errors -= other.errors;
    this.latencyCount -= other.latencyCount;
    this.ttftCount -= other.ttftCount;
    for (let i = 0; i < BUCKETS; i++) {
      this.latency[i]! -= other.latency[i]!;
      this.ttft[i]! -= other.ttft[i]!;
    }
  }

  clear(): void {
    this.samples = this.errors = this.latencyCount = this.ttftCount = 0;
    this.latency.fill(0);
    this.ttft.fill(0);
  }
}

function addOutcome(t: Tally, ok: boolean, latencyMs: number, ttftMs: number | undefined, timedOut: boolean): void {
  t.samples++;
  if (!ok) {
    t.errors++;
    // Failures are not timed, a fast 500 would make a failing endpoint look like the fastest one;
    // but a timeout is: its answer (its first token, if none came) took at least that long, which
    // a latency requirement must see.
    if (!timedOut) return;
    ttftMs ??= latencyMs;
  }
  t.latency[bucketOf(latencyMs)]!++;
  t.latencyCount++;
  if (ttftMs !== undefined) {
    t.ttft[bucketOf(ttftMs)]!++;
    t.ttftCount++;
  }
}

function percentile(histogram: Uint32Array, count: number, p: number): number | undefined {
  if (count === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * count));
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return valueOf(i);
  }
  return valueOf(BUCKETS - 1);
}

export interface WindowSummary {
  samples: number;
  latencyP50?: number;
  latencyP95?: number;
  ttftP50?: number;
  ttftP95?: number;
  errorRate?: number;
}

/**
 * The window is a ring of `slotCount` slots of `windowMs / slotCount` each, plus their running sum;
 * a slot leaves the sum as the clock passes it, so old samples expire without a scan of samples.
 */
export class SlidingWindow {
  private readonly slotMs: number;
  private readonly slots: Tally[];
  private readonly total = new Tally();
  /** Index of the time slot the newest ring entry belongs to. */
  private head = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, slotCount = 10) {
    this.slotMs = Math.max(1, windowMs / slotCount);
    this.slots = Array.from({ length: slotCount }, () => new Tally());
  }

  /** Moves the window to `now`, dropping slots that fell out; true when anything was dropped. */
  advance(now: number): boolean {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.head) return false;
    const n = this.slots.length;
    const dropped = this.total.samples > 0;
    if (slot - this.head >= n) {
      for (const tally of this.slots) tally.clear();
      this.total.clear();
    } else {
      for (let k = this.head + 1; k <= slot; k++) {
        const tally = this.slots[k % n]!;
        if (tally.samples > 0) {
          this.total.subtract(tally);
          tally.clear();
        }
      }
    }
    this.head = slot;
    return dropped;
  }

  record(now: number, ok: boolean, latencyMs: number, ttftMs: number | undefined, timedOut = false): void {
    this.advance(now);
    addOutcome(this.slots[this.head % this.slots.length]!, ok, latencyMs, ttftMs, timedOut);
    addOutcome(this.total, ok, latencyMs, ttftMs, timedOut);
  }

  summary(): WindowSummary {
    const t = this.total;
    if (t.samples === 0) return { samples: 0 };
    return {
      samples: t.samples,
      latencyP50: percentile(t.latency, t.latencyCount, 0.5),
      latencyP95: percentile(t.latency, t.latencyCount, 0.95),
      ttftP50: percentile(t.ttft, t.ttftCount, 0.5),
      ttftP95: percentile(t.ttft, t.ttftCount, 0.95),
      errorRate: t.errors / t.samples,
    };
  }
}
