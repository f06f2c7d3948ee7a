// A fixed amount of JavaScript work a request, calibrated to take a given CPU time in a process
// alone on an idle machine: the lean gateway adds it with LEAN_BURN_US (bench/floor.ts --burn), to
// measure what a µs of logic, as the in-process harness counts it, costs under the bench's load.

export type BurnKind = "wide" | "compact";

let sink = 0;

/**
 * `wide` spreads the work over 400 small functions and as many objects of varied shapes, as a
 * gateway's logic is spread over its stages; `compact` repeats one JSON round trip of a small
 * value, whose code and data stay in the cache.
 */
function unitOf(kind: BurnKind): () => void {
  if (kind === "compact") {
    const sample = JSON.stringify({ route: "default", facts: Array.from({ length: 8 }, (_, i) => ({ name: `fact ${i}`, weight: i / 8, tags: ["a", "b"] })) });
    return () => {
      sink += JSON.stringify(JSON.parse(sample)).length;
    };
  }
  const width = 400;
  // Each its own compiled code: one function reused 400 times would stay in the cache.
  const functions = Array.from({ length: width }, (_, k) => new Function("o", `
    let s = ${k};
    for (const key in o) {
      const v = o[key];
      s = typeof v === "number" ? (s * ${31 + k} + v) | 0 : s + String(v).length * ${k + 1};
    }
    o.last = s;
    return s;`) as (o: Record<string, unknown>) => number);
  const objects = Array.from({ length: width }, (_, k) => {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < 6; j++) o[`k${(k * 7 + j) % 50}`] = j % 2 ? `v${k}-${j}` : k * j;
    return o;
  });
  let at = 0;
  // Ten of the functions, each on another of the objects, in turn: a unit touches new code and data.
  return () => {
    for (let i = 0; i < 10; i++) {
      at = (at + 1) % width;
      sink += functions[at]!(objects[(at * 13) % width]!);
    }
  };
}

/** A function that does `us` µs of `kind` work, as measured now; a no-op for 0. */
export function calibratedBurn(us: number, kind: BurnKind = "wide"): () => void {
  if (us <= 0) return () => {};
  const unit = unitOf(kind);
  const runs = 20_000;
  for (let i = 0; i < runs; i++) unit(); // compiled before it is timed
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) unit();
  const spent = process.cpuUsage(before);
  // At least 1 µs counted: a clock too coarse to see the runs must not make the burn endless.
  const units = Math.max(1, Math.round((us * runs) / Math.max(1, spent.user + spent.system)));
  return () => {
    for (let i = 0; i < units; i++) unit();
  };
}

/** A burn's kind as a flag or the environment names it: wide when unnamed. */
export function burnKindOf(text: string | undefined): BurnKind {
  if (text === undefined) return "wide";
  if (text === "wide" || text === "compact") return text;
  throw new Error(`a burn is wide or compact, not ${text}`);
}
