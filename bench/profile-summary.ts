// Summarises a .cpuprofile (Chrome DevTools format, as `bun --cpu-prof` writes) by self time:
// `bun bench/profile-summary.ts FILE.cpuprofile [--top 25]` prints the top functions and files, and
// the time of each part of the request path.

import { markdownTable } from "./report.ts";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Shortens a file URL to its path inside the project (or its package under node_modules). */
function place(url: string): string {
  if (!url) return "(native)";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) return url.slice(modules + "node_modules/".length);
  const project = /\/(core|plugins|bench|main\.ts)(\/|$)/.exec(url);
  return project ? url.slice(project.index + 1) : url.replace(/^.*\//, "");
}

/**
 * The longest interval one sample may stand for. The sampler stops while the thread sleeps, so the
 * first sample after an idle spell carries the whole spell (a timer waking an idle server would
 * look like seconds of work): an interval is capped at a few times the usual one.
 */
function sampleCap(deltas: readonly number[]): number {
  const sorted = deltas.filter((d) => d > 0).sort((a, b) => a - b);
  return 4 * (sorted[Math.floor(sorted.length / 2)] ?? 1000);
}

/** Self time per key: each sample's (capped) interval is charged to the node it landed in. */
export function selfTimes(profile: CpuProfile, keyOf: (frame: CallFrame, id: number) => string): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const cap = sampleCap(profile.timeDeltas);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const micros = Math.min(profile.timeDeltas[i] ?? 0, cap);
    const frame = byId.get(id);
    if (!frame) return;
    const key = keyOf(frame, id);
    totals.set(key, (totals.get(key) ?? 0) + micros);
    all += micros;
  });
  return [...totals]
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / all }))
    .sort((a, b) => b.ms - a.ms);
}

/**
 * Parts of the request path, matched against each frame's place (or a native function's name);
 * a sample is charged to the first frame from the leaf up that matches one, so time in a native
 * call (JSON.parse, SQLite) counts for the part that made it.
 */
const AREAS: readonly (readonly [area: string, test: RegExp])[] = [
  ["upstream fetch (native)", /^fetch$/],
  ["memory trim (full GC)", /^core\/server\/memory\.ts$/],
  ["ledger (SQLite writes)", /^(core\/ledger\/(?!key-store)|bun:sqlite)/],
  ["auth (key check)", /^(plugins\/auth\/|core\/ledger\/key-store)/],
  ["classifier", /^plugins\/classifiers\//],
  ["dispatch (routes, when)", /^core\/(dispatch|expr)\//],
  ["vendor stream decode", /^core\/kit\/sse\.ts$/],
  ["wire codecs (encode, decode, forward)", /^core\/wire\//],
  ["stream relay and body", /^core\/(gateway\/stream|server\/sse-body)\.ts$/],
  ["pipeline (attempts, metering)", /^core\/gateway\//],
  ["ingress (read, validate, respond)", /^core\/server\//],
  ["Elysia", /^elysia\//],
];

const OTHER = "HTTP server, sockets, promises (native, unattributed)";

/** Time per area of the request path (see AREAS), with the same capped intervals as selfTimes. */
export function areaTimes(profile: CpuProfile): SelfTime[] {
  const parent = new Map<number, number>();
  const frames = new Map<number, CallFrame>();
  for (const node of profile.nodes) {
    frames.set(node.id, node.callFrame);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const areaOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = areaOf.get(id);
    if (known !== undefined) return known;
    const frame = frames.get(id)!;
    const where = frame.url ? place(frame.url) : frame.functionName;
    const match = AREAS.find(([, test]) => test.test(where));
    const up = parent.get(id);
    const area = match ? match[0] : up === undefined ? OTHER : resolve(up);
    areaOf.set(id, area);
    return area;
  };
  return selfTimes(profile, (_, id) => resolve(id));
}

export const byFunction = (frame: CallFrame) =>
  `${frame.functionName || "(anonymous)"} ${place(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
export const byFile = (frame: CallFrame) => place(frame.url);

function print(title: string, list: readonly SelfTime[], top: number): string {
  const rows = list.slice(0, top).map((t) => [t.name, t.ms.toFixed(0), `${(t.share * 100).toFixed(1)}%`]);
  return `${title}\n\n${markdownTable(["where", "self ms", "share"], rows)}\n`;
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: bun bench/profile-summary.ts FILE.cpuprofile [--top N]");
  const at = process.argv.indexOf("--top");
  const top = at >= 0 ? Number(process.argv[at + 1]) : 25;
  const profile = (await Bun.file(file).json()) as CpuProfile;
  console.log(print("Top functions by self time", selfTimes(profile, byFunction), top));
  console.log(print("Self time by file", selfTimes(profile, byFile), top));
  console.log(print("Time by part of the request path", areaTimes(profile), AREAS.length + 1));
}
