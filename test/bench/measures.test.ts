// The bench's arithmetic: percentiles, CPU profile self times, ledger row counts.

import { Database } from "bun:sqlite";
import { expect, test } from "bun:test";
import { byFile, byFunction, selfTimes, type CpuProfile } from "../../bench/profile-summary.ts";
import { countLedgerRows } from "../../bench/soak.ts";
import { percentile } from "../../bench/stats.ts";
import { createWorkspace } from "../../bench/targets.ts";

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

test("ledger rows are counted from the requests table of the SQLite file", () => {
  const work = createWorkspace();
  const db = new Database(`${work.folder}/ledger.db`);
  db.run("create table requests (id text primary key)");
  for (let i = 0; i < 3; i++) db.run("insert into requests (id) values (?)", [`req-${i}`]);
  db.close();
  expect(countLedgerRows(`${work.folder}/ledger.db`)).toBe(3);
  work.remove();
});
