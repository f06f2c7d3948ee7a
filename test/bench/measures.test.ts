// The bench's arithmetic: percentiles, CPU profile self times, thread readings, ledger row counts, verdicts.

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { areaTimes, byFile, byFunction, selfTimes, type CpuProfile } from "../../bench/profile-summary.ts";
import { readFileSync } from "node:fs";
import { collectionOf, cpuMsOfSchedstat, minorFaultsOfStat, threadCpuMs, threadMinorFaults } from "../../bench/processes.ts";
import { countLedgerRows } from "../../bench/soak.ts";
import { percentile } from "../../bench/stats.ts";
import { createWorkspace } from "../../bench/targets.ts";
import type { Row } from "../../bench/compare.ts";
import type { LoadResult } from "../../bench/load.ts";
import { hasUsage } from "../../bench/parsing-proxy.ts";
import { budgetTable, unloadedTable, verdicts, verdictTable } from "../../bench/report.ts";

test("percentiles are by nearest rank over unsorted samples", () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(percentile(samples, 0.5)).toBe(50);
  expect(percentile(samples, 0.99)).toBe(99);
  expect(percentile([7], 0.99)).toBe(7);
  expect(percentile([], 0.5)).toBeNaN();
});

const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber });

test("profile self time charges each sample's interval to the node it landed in", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1) },
      { id: 2, callFrame: frame("serveChat", "file:///srv/switchyard/core/gateway/pipeline.ts", 58) },
      { id: 3, callFrame: frame("mergeQueries", "file:///srv/switchyard/node_modules/drizzle-orm/sql/sql.js", 13) },
    ],
    samples: [2, 3, 3, 2, 3],
    timeDeltas: [1000, 2000, 3000, 1000, 3000],
  };
  const functions = selfTimes(profile, byFunction);
  expect(functions[0]).toEqual({ name: "mergeQueries drizzle-orm/sql/sql.js:14", ms: 8, share: 0.8 });
  expect(functions[1]!.name).toBe("serveChat core/gateway/pipeline.ts:59");
  expect(selfTimes(profile, byFile).map((t) => t.name)).toEqual(["drizzle-orm/sql/sql.js", "core/gateway/pipeline.ts"]);
});

test("a sample after an idle spell counts for a few usual intervals, not for the whole spell", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("serveChat", "file:///srv/switchyard/core/gateway/pipeline.ts", 58) },
      { id: 2, callFrame: frame("trim", "file:///srv/switchyard/core/server/memory.ts", 20) },
    ],
    samples: [1, 1, 1, 2],
    timeDeltas: [1000, 1000, 1000, 5_000_000],
  };
  const [first, second] = selfTimes(profile, byFunction);
  expect(first).toMatchObject({ name: "trim core/server/memory.ts:21", ms: 4 });
  expect(second).toMatchObject({ name: "serveChat core/gateway/pipeline.ts:59", ms: 3 });
});

test("time by area goes to the nearest frame that names one: a native call counts for its caller", () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1), children: [2, 5] },
      { id: 2, callFrame: frame("writeBatch", "file:///srv/switchyard/core/ledger/sqlite.ts", 40), children: [3] },
      { id: 3, callFrame: frame("run", "", -1) },
      { id: 5, callFrame: frame("chat", "file:///srv/switchyard/core/wire/openai/provider.ts", 45), children: [6] },
      { id: 6, callFrame: frame("fetch", "", -1) },
    ],
    samples: [3, 3, 6, 1],
    timeDeltas: [1000, 1000, 1000, 1000],
  };
  const areas = Object.fromEntries(areaTimes(profile).map((a) => [a.name, a.ms]));
  expect(areas).toEqual({
    "ledger (SQLite writes)": 2,
    "upstream fetch (native)": 1,
    "HTTP server, sockets, promises (native, unattributed)": 1,
  });
});

test("CPU time is read from a thread's schedstat in nanoseconds, on the kernel's own clock", () => {
  // time on a CPU (ns), time waiting to run (ns), timeslices run
  expect(cpuMsOfSchedstat("2900123456 5000 17\n")).toBe(2900.123456);
  const before = threadCpuMs(process.pid);
  const usage = process.cpuUsage();
  // Work on this thread until the kernel has counted some: the main thread's reading must follow it.
  let sum = 0;
  while (process.cpuUsage(usage).user < 20_000) for (let i = 0; i < 10_000; i++) sum += Math.sqrt(i);
  const spent = (threadCpuMs(process.pid).get("main") ?? 0) - before.get("main")!;
  const used = process.cpuUsage(usage);
  expect(sum).toBeGreaterThan(0);
  expect(spent).toBeGreaterThan(10);
  // Never more than the whole process's account of the same interval (ms against µs).
  expect(spent).toBeLessThanOrEqual((used.user + used.system) / 1000 + 1);
});

test("a thread's minor page faults are read from its stat line, after a command name that may hold spaces", () => {
  // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt ...
  expect(minorFaultsOfStat("4242 (HTTP Client) S 1 4242 4242 0 -1 4194368 7311 0 2 0 55 21 0 0 20 0 9 0\n")).toBe(7311);
  expect(minorFaultsOfStat("7 (a) b (c) R 1 7 7 0 -1 0 12 0 0 0\n")).toBe(12);
  // Live: this process has faulted since it started, and no thread more than the whole process.
  const main = threadMinorFaults(process.pid).get("main")!;
  expect(main).toBeGreaterThan(0);
  expect(main).toBeLessThanOrEqual(minorFaultsOfStat(readFileSync(`/proc/${process.pid}/stat`, "utf8")));
});

test("the engine's GC log gives each collection's kind and pause; its other lines give none", () => {
  const eden =
    "[GC<0x47ef3028118>: START M 49177kb => EdenCollection, a=0kb hf=0.000 mu=0.600 v=0kb (C:0 M:0 P1:0) o=214 b=352 " +
    "i#1:N<CsMsrShDMsm(353)SrbBcs> 34+0 v=493kb => 32944kb, p=2.526898ms (max 10.992560), cycle 2.494456ms END]";
  expect(collectionOf(eden)).toEqual({ kind: "eden", pauseMs: 2.526898 });
  expect(collectionOf(eden.replace("EdenCollection", "FullCollection"))).toEqual({ kind: "full", pauseMs: 2.526898 });
  expect(collectionOf("[GC<0x30e04f9c118>: starting 0.089330ms]")).toBeNull();
  expect(collectionOf("GC END!")).toBeNull();
});

test("ledger rows are counted from the requests table of the SQLite file", () => {
  const work = createWorkspace();
  const db = new Database(`${work.folder}/ledger.db`);
  db.run("create table requests (id text primary key)");
  for (let i = 0; i < 3; i++) db.run("insert into requests (id) values (?)", [`req-${i}`]);
  db.close();
  expect(countLedgerRows(`${work.folder}/ledger.db`)).toBe(3);
  work.remove();
});

const result = (rps: number, p50: number, ttftP50: number | null = null): LoadResult => ({
  sent: rps, ok: rps, errors: 0, firstError: null, seconds: 1, rps, p50, p99: p50 * 2, ttftP50, ttftP99: ttftP50, overheadP50: null, cpuUs: 0, watched: [],
});

test("verdicts judge the gateway against the bare proxy and say which missed bars its floors miss too", () => {
  const scenario = { name: "chat, stream", shape: "chat" as const, stream: true };
  const rows: Row[] = [
    { scenario, target: "bare proxy", result: result(8000, 8, 8), roundRps: [9000, 7000], rssMb: 50, cpuUsPerRequest: 100, faultsPerRequest: 0.3, loadCpuUsPerRequest: 40, upstreamCpuUsPerRequest: 30 },
    { scenario, target: "parsing proxy", result: result(7000, 9.1, 9.1), roundRps: [7500, 6500], rssMb: 50, cpuUsPerRequest: 150, faultsPerRequest: 0.4, loadCpuUsPerRequest: 40, upstreamCpuUsPerRequest: 30 },
    { scenario, target: "lean gateway", result: result(6400, 8.4, 8.4), roundRps: [7200, 5600], rssMb: 60, cpuUsPerRequest: 170, faultsPerRequest: 0.5, loadCpuUsPerRequest: 40, upstreamCpuUsPerRequest: 30 },
    { scenario, target: "duties floor", result: result(5900, 9.9, 9.6), roundRps: [6600, 5200], rssMb: 80, cpuUsPerRequest: 185, faultsPerRequest: 0.7, loadCpuUsPerRequest: 41, upstreamCpuUsPerRequest: 29 },
    { scenario, target: "gateway", result: result(5600, 10.4, 10.2), roundRps: [6300, 4900], rssMb: 90, cpuUsPerRequest: 200, faultsPerRequest: 0.8, loadCpuUsPerRequest: 42, upstreamCpuUsPerRequest: 28 },
  ];
  const [verdict] = verdicts(rows);
  expect(verdict).toMatchObject({
    throughputRatio: 0.7, roundRange: [0.7, 0.7], parsingRatio: 0.875, leanRatio: 0.8, leanRoundRange: [0.8, 0.8],
    missed: ["req/s", "p50", "TTFT"], leanMissed: [], dutiesMissed: ["req/s", "p50", "TTFT"], dutiesCpuUs: 15, plumbingCpuUs: 15,
  });
  expect(verdict!.dutiesRatio).toBeCloseTo(0.7375);
  expect(verdict!.p50DeltaMs).toBeCloseTo(2.4);
  expect(verdict!.ttftDeltaMs).toBeCloseTo(2.2);
  expect(verdict!.leanP50DeltaMs).toBeCloseTo(0.4);
  expect(verdictTable([verdict!])).toContain("| 0.70×                 | 0.70–0.70×    | +2.40    | +2.20 ");
  expect(verdictTable([verdict!])).toContain("| req/s, p50, TTFT | req/s, p50, TTFT                        | none ");
  // A floor under the throughput bar puts that bar out of reach, by this run; the duties floor here
  // is at 0.74× in both rounds (5900 of 8000).
  expect(verdictTable([verdict!])).toContain("| 0.74×                | 0.73–0.74×           | 15 ");
  const slowFloor = rows.map((row) => (row.target === "lean gateway" ? { ...row, result: result(5800, 8.2, 8.2) } : row));
  expect(verdicts(slowFloor)[0]!.leanMissed).toEqual(["req/s"]);
  const unloaded = rows.map((row) => ({ ...row, result: result(1, row.target === "gateway" ? 0.45 : 0.3, row.target === "gateway" ? 1.4 : 0.3) }));
  expect(unloadedTable(unloaded).split("\n")[2]).toBe(
    "| chat, stream | 0.30              | 0.30           | 0.45           | +0.15            | +1.10                 | +0.00            | TTFT                |",
  );
  // The bare proxy's three processes take 170 µs a request; at 0.75× they may take 226.7, of which
  // the load generator and the upstream take 70 of each gateway request: 156.7 left for the gateway.
  const cells = budgetTable(rows).split("\n")[2]!.split("|").map((cell) => cell.trim());
  expect(cells.slice(1, -1)).toEqual(["chat, stream", "42", "28", "170", "270", "0.70× / 0.63×", "157", "170", "185", "200", "+43"]);
});

test("the parsing proxy finds the usage key also when a chunk boundary splits it", () => {
  const bytes = new TextEncoder().encode('data: {"choices":[],"usage":{"prompt_tokens":1}}\n\n');
  const at = 24;
  expect(hasUsage(new Uint8Array(0), bytes)).toBe(true);
  expect(hasUsage(new Uint8Array(0), bytes.subarray(0, at))).toBe(false);
  expect(hasUsage(bytes.subarray(0, at), bytes.subarray(at))).toBe(true);
  expect(hasUsage(bytes.subarray(0, 10), bytes.subarray(30))).toBe(false);
});
