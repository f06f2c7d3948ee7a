// `bun run bench` end to end, scaled down: every target answers every round, the rows merge the
// rounds, and the verdict gives the overall ratio with the rounds' range.

import { expect, test } from "bun:test";
import { runCommand } from "../../bench/processes.ts";
import { ROOT } from "../../bench/targets.ts";

test("one scenario in two interleaved rounds prints a row per target and the ratio within its rounds' range", async () => {
  const flags = ["--scenario", "chat, stream", "--rounds", "2", "--duration", "0.8", "--requests", "300", "--warmup", "50", "--no-unloaded"];
  const out = await runCommand([process.execPath, "bench/run.ts", ...flags], ROOT);
  expect(out).toContain("; 2 interleaved rounds;");
  for (const target of ["direct", "bare proxy", "parsing proxy", "lean gateway", "duties floor", "gateway"]) {
    const cells = out.split("\n").find((line) => line.startsWith(`| chat, stream | ${target} `))?.split("|").map((cell) => cell.trim());
    expect(cells).toBeDefined();
    // req/s, CPU and page faults per request are measured, and no request failed.
    expect(Number(cells![3])).toBeGreaterThan(0);
    expect(Number(cells![8])).toBeGreaterThan(0);
    expect(Number(cells![9])).toBeGreaterThanOrEqual(0);
    expect(cells![9]).toMatch(/^\d+\.\d\d$/);
    expect(cells![11]).toBe("0");
  }
  const verdict = out.split("\n").find((line) => line.startsWith("| chat, stream ") && line.includes("×"))!;
  const match = /\| (\d+\.\d\d)× +\| (\d+\.\d\d)–(\d+\.\d\d)× +\|/.exec(verdict);
  expect(match).not.toBeNull();
  const [ratio, low, high] = match!.slice(1).map(Number) as [number, number, number];
  expect(ratio).toBeGreaterThan(0);
  expect(low).toBeGreaterThan(0);
  expect(low).toBeLessThanOrEqual(high);
}, 60_000);
