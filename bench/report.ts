// Prints bench results as Markdown tables (so a run can be pasted into bench/README.md as is).

import type { Row } from "./compare.ts";

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const ms = (value: number | null) => (value === null || Number.isNaN(value) ? "–" : value.toFixed(2));
const signed = (value: number) => (value >= 0 ? "+" : "") + value.toFixed(2);

export function resultsTable(rows: readonly Row[]): string {
  const header = ["scenario", "target", "req/s", "p50 ms", "p99 ms", "TTFT p50", "TTFT p99", "CPU µs/req", "RSS MB", "errors"];
  return markdownTable(
    header,
    rows.map((row) => [
      row.scenario.name,
      row.target,
      row.result.rps.toFixed(0),
      ms(row.result.p50),
      ms(row.result.p99),
      ms(row.result.ttftP50),
      ms(row.result.ttftP99),
      row.cpuUsPerRequest.toFixed(0),
      row.rssMb.toFixed(0),
      String(row.result.errors),
    ]),
  );
}

export interface Verdict {
  scenario: string;
  /** Over all rounds: the gateway's req/s over the bare proxy's. */
  throughputRatio: number;
  /** The lowest and highest ratio of a single round. */
  roundRange: [low: number, high: number];
  /** The parsing proxy against the bare proxy: what touching the body costs any JS gateway. */
  floorRatio: number;
  /** The gateway's CPU per request beyond the parsing proxy's, in µs: its own work. */
  ownCpuUs: number;
  p50DeltaMs: number;
  /** The parsing proxy's own p50 above the bare proxy's: where any gateway's p50 Δ starts. */
  floorP50DeltaMs: number;
  ttftDeltaMs: number | null;
  overheadP50: number | null;
  met: boolean;
}

/** Gateway against bare proxy per scenario, with the targets: ≥ 0.75× throughput, p50 within
 * 0.5 ms, TTFT within 1 ms. */
export function verdicts(rows: readonly Row[]): Verdict[] {
  const scenarios = [...new Set(rows.map((r) => r.scenario.name))];
  return scenarios.map((scenario) => {
    const row = (target: Row["target"]) => rows.find((r) => r.scenario.name === scenario && r.target === target)!;
    const gateway = row("gateway").result;
    const proxy = row("bare proxy").result;
    const throughputRatio = gateway.rps / proxy.rps;
    const proxyRounds = row("bare proxy").roundRps;
    const perRound = row("gateway").roundRps.map((rps, i) => rps / proxyRounds[i]!);
    const roundRange: Verdict["roundRange"] = [Math.min(...perRound), Math.max(...perRound)];
    const floorRatio = row("parsing proxy").result.rps / proxy.rps;
    const ownCpuUs = row("gateway").cpuUsPerRequest - row("parsing proxy").cpuUsPerRequest;
    const p50DeltaMs = gateway.p50 - proxy.p50;
    const floorP50DeltaMs = row("parsing proxy").result.p50 - proxy.p50;
    const ttftDeltaMs = gateway.ttftP50 !== null && proxy.ttftP50 !== null ? gateway.ttftP50 - proxy.ttftP50 : null;
    const met = throughputRatio >= 0.75 && p50DeltaMs <= 0.5 && (ttftDeltaMs === null || ttftDeltaMs <= 1);
    return { scenario, throughputRatio, roundRange, floorRatio, ownCpuUs, p50DeltaMs, floorP50DeltaMs, ttftDeltaMs, overheadP50: gateway.overheadP50, met };
  });
}

export function verdictTable(list: readonly Verdict[]): string {
  const header = [
    "scenario", "gateway ÷ proxy req/s", "rounds' range", "p50 Δ ms", "TTFT p50 Δ ms", "overhead header p50 ms", "targets",
    "parsing ÷ proxy req/s", "parsing p50 Δ ms", "gateway CPU beyond parsing µs/req",
  ];
  return markdownTable(
    header,
    list.map((v) => [
      v.scenario,
      `${v.throughputRatio.toFixed(2)}×`,
      `${v.roundRange[0].toFixed(2)}–${v.roundRange[1].toFixed(2)}×`,
      signed(v.p50DeltaMs),
      v.ttftDeltaMs === null ? "–" : signed(v.ttftDeltaMs),
      ms(v.overheadP50),
      v.met ? "met" : "missed",
      `${v.floorRatio.toFixed(2)}×`,
      signed(v.floorP50DeltaMs),
      v.ownCpuUs.toFixed(0),
    ]),
  );
}

/**
 * The same scenarios one request at a time: latency with no queue, so each Δ is the time a request
 * spends in the gateway itself. At concurrency C a closed loop has p50 ≈ C ÷ req/s (Little's law),
 * so under load every Δ is mostly queueing behind the throughput gap.
 */
export function unloadedTable(rows: readonly Row[]): string {
  const scenarios = [...new Set(rows.map((r) => r.scenario.name))];
  const header = ["scenario", "bare proxy p50 ms", "parsing p50 ms", "gateway p50 ms", "gateway p50 Δ ms", "gateway TTFT p50 Δ ms", "parsing p50 Δ ms"];
  return markdownTable(
    header,
    scenarios.map((scenario) => {
      const result = (target: Row["target"]) => rows.find((r) => r.scenario.name === scenario && r.target === target)!.result;
      const [proxy, parsing, gateway] = [result("bare proxy"), result("parsing proxy"), result("gateway")];
      const ttft = gateway.ttftP50 !== null && proxy.ttftP50 !== null ? signed(gateway.ttftP50 - proxy.ttftP50) : "–";
      return [scenario, ms(proxy.p50), ms(parsing.p50), ms(gateway.p50), signed(gateway.p50 - proxy.p50), ttft, signed(parsing.p50 - proxy.p50)];
    }),
  );
}
