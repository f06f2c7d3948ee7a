// bench/in-process.ts end to end, scaled down: the gateway served through app.handle with the
// fake upstream's canned answers, JSON and stream, one checkout against itself, and the lean floor.

import { expect, test } from "bun:test";
import { runCommand } from "../../bench/processes.ts";
import { ROOT } from "../../bench/targets.ts";

const FLAGS = ["--scenario", "chat", "--rounds", "1", "--requests", "40", "--warmup", "40"];
const NUMBER = String.raw`(\d+\.\d+) \((\d+\.\d+)–(\d+\.\d+)\) +`;

function rowOf(out: string, scenario: string): string {
  return out.split("\n").find((line) => line.startsWith(`| ${scenario} `)) ?? "";
}

test("two checkouts, a row per scenario with each one's CPU per request and B ÷ A", async () => {
  const out = await runCommand([process.execPath, "bench/in-process.ts", ROOT, ROOT, ...FLAGS], ROOT);
  for (const scenario of ["chat, JSON", "chat, stream"]) {
    const match = new RegExp(String.raw`\| ${NUMBER}\| ${NUMBER}\| ${NUMBER}\|`).exec(rowOf(out, scenario));
    expect(match).not.toBeNull();
    const [a, , , b, , , ratio] = match!.slice(1).map(Number) as number[];
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(ratio).toBeCloseTo(b! / a!, 1);
  }
}, 60_000);

test("--lean adds the lean floor's CPU per request and the gateway's beyond it", async () => {
  const out = await runCommand([process.execPath, "bench/in-process.ts", ...FLAGS, "--lean"], ROOT);
  expect(out).toContain("lean floor CPU µs/req");
  for (const scenario of ["chat, JSON", "chat, stream"]) {
    const match = new RegExp(String.raw`\| ${NUMBER}\| ${NUMBER}\| (-?\d+\.\d) \(`).exec(rowOf(out, scenario));
    expect(match).not.toBeNull();
    const [gateway, , , lean, , , beyond] = match!.slice(1).map(Number) as number[];
    expect(gateway).toBeGreaterThan(0);
    expect(lean).toBeGreaterThan(0);
    // One round: the difference is of that round's two runs.
    expect(beyond).toBeCloseTo(gateway! - lean!, 0);
  }
}, 60_000);
