// bench/ab.ts end to end, with this checkout on both sides: it starts the targets, interleaves
// the slices and prints a row whose median lies within its range.

import { expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { envOf } from "../../bench/ab.ts";
import { runCommand } from "../../bench/processes.ts";
import { ROOT } from "../../bench/targets.ts";

const ab = (...args: string[]) => runCommand([process.execPath, "bench/ab.ts", ...args], ROOT);

test("two slices a round, one row per scenario, the median within the range of rounds", async () => {
  const out = await ab(ROOT, "--scenario", "chat, JSON", "--rounds", "2", "--slice", "0.3", "--env-b", "MIMALLOC_PURGE_DELAY=-1");
  expect(out).toContain(`B: ${ROOT} with MIMALLOC_PURGE_DELAY=-1\n`);
  const row = out.split("\n").find((line) => line.startsWith("| chat, JSON |"));
  const match = /^\| chat, JSON \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+\.\d\d) \| (\d+\.\d\d) \| (\d+\.\d\d) \| (\d\.\d{3}) \((\d\.\d{3})–(\d\.\d{3})\) \|$/.exec(row ?? "");
  expect(match).not.toBeNull();
  const [median, low, high] = match!.slice(10).map(Number) as [number, number, number];
  expect(low).toBeLessThanOrEqual(median);
  expect(median).toBeLessThanOrEqual(high);
  // Every target answered: no zero throughput, no zero CPU, no zero latency.
  for (const value of match!.slice(1, 10).map(Number)) expect(value).toBeGreaterThan(0);
}, 30_000);

test("an environment for a side is KEY=VALUE pairs, a value may hold '='; a pair without one is refused", () => {
  expect(envOf(undefined)).toBeUndefined();
  expect(envOf("A=1,B=x=y")).toEqual({ A: "1", B: "x=y" });
  expect(() => envOf("A=1,B")).toThrow("KEY=VALUE pairs, comma-separated: B");
  expect(() => envOf("=1")).toThrow("KEY=VALUE");
});

test("a folder that is not a checkout is refused by name", async () => {
  const error = await ab(tmpdir()).catch((caught: Error) => caught);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain(`${tmpdir()} is not a Switchyard checkout (no main.ts)`);
});
