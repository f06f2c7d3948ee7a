// bench/in-process.ts end to end, scaled down: the gateway served through app.handle with the
// fake upstream's canned answers, JSON and stream, one checkout against itself.

import { expect, test } from "bun:test";
import { runCommand } from "../../bench/processes.ts";
import { ROOT } from "../../bench/targets.ts";

test("two checkouts, a row per scenario with each one's CPU per request and B ÷ A", async () => {
  const flags = ["--scenario", "chat", "--rounds", "1", "--requests", "40", "--warmup", "40"];
  const out = await runCommand([process.execPath, "bench/in-process.ts", ROOT, ROOT, ...flags], ROOT);
  for (const scenario of ["chat, JSON", "chat, stream"]) {
    const row = out.split("\n").find((line) => line.startsWith(`| ${scenario} `));
    const match = /\| (\d+\.\d) \((\d+\.\d)–(\d+\.\d)\) +\| (\d+\.\d) \(.*\) +\| (\d\.\d{3}) \(/.exec(row ?? "");
    expect(match).not.toBeNull();
    const [a, , , b, ratio] = match!.slice(1).map(Number) as number[];
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(ratio).toBeCloseTo(b! / a!, 1);
  }
}, 60_000);
