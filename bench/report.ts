// Prints bench results as Markdown tables (so a run can be pasted into bench/README.md as is).

import type { Row } from "./compare.ts";
import type { LoadResult } from "./load.ts";

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const ms = (value: number | null) => (value === null || Number.isNaN(value) ? "–" : value.toFixed(2));
const signed = (value: number, digits = 2) => (value >= 0 ? "+" : "") + value.toFixed(digits);

export function resultsTable(rows: readonly Row[]): string {
  const header = ["scenario", "target", "req/s", "p50 ms", "p99 ms", "TTFT p50", "TTFT p99", "CPU µs/req", "faults/req", "RSS MB", "errors"];
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
      row.faultsPerRequest.toFixed(2),
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
  p50DeltaMs: number;
  ttftDeltaMs: number | null;
  overheadP50: number | null;
  /** The bars the gateway missed; empty when it met them all. */
  missed: Bar[];
  /** The parsing proxy against the bare proxy: what touching the body costs any JS gateway. */
  parsingRatio: number;
  /** The lean gateway against the bare proxy: the floor for a gateway with the bench config's duties. */
  leanRatio: number;
  leanRoundRange: [low: number, high: number];
  leanP50DeltaMs: number;
  /** Those of `missed` that the lean gateway misses too: out of reach of any gateway with these duties, by this run. */
  leanMissed: Bar[];
  /** The duties floor against the bare proxy: every duty of the config done by the gateway's own code, no plumbing. */
  dutiesRatio: number;
  dutiesRoundRange: [low: number, high: number];
  /** Those of `missed` that the duties floor misses too: out of reach of the gateway's duties as they are written, by this run. */
  dutiesMissed: Bar[];
  /** The duties floor's CPU per request beyond the lean gateway's, in µs: what the duties cost. */
  dutiesCpuUs: number;
  /** The gateway's CPU per request beyond the duties floor's, in µs: what its plumbing costs. */
  plumbingCpuUs: number;
}

/** The targets, each against the bare proxy: ≥ 0.75× throughput, p50 within 0.5 ms, TTFT within 1 ms. */
export type Bar = "req/s" | "p50" | "TTFT";

/** The throughput bar: a share of the bare proxy's req/s. */
const THROUGHPUT_BAR = 0.75;

/** The bars missed; a throughput `ratio` of 1 judges the latency bars alone. */
function missedBars(ratio: number, p50DeltaMs: number, ttftDeltaMs: number | null): Bar[] {
  const missed: Bar[] = [];
  if (ratio < THROUGHPUT_BAR) missed.push("req/s");
  if (p50DeltaMs > 0.5) missed.push("p50");
  if (ttftDeltaMs !== null && ttftDeltaMs > 1) missed.push("TTFT");
  return missed;
}

/** A target's throughput over the bare proxy's and its latencies above the proxy's (TTFT only for streams). */
function againstProxy(result: LoadResult, proxy: LoadResult) {
  const ttftDeltaMs = result.ttftP50 !== null && proxy.ttftP50 !== null ? result.ttftP50 - proxy.ttftP50 : null;
  return { ratio: result.rps / proxy.rps, p50DeltaMs: result.p50 - proxy.p50, ttftDeltaMs };
}

/** Each scenario's name, in the rows' order, with its row for a target. */
function byScenario(rows: readonly Row[]): [scenario: string, row: (target: Row["target"]) => Row][] {
  const scenarios = [...new Set(rows.map((r) => r.scenario.name))];
  return scenarios.map((scenario) => [scenario, (target) => rows.find((r) => r.scenario.name === scenario && r.target === target)!]);
}

/** Each target against the bare proxy, per scenario, and which of the bars the gateway and its floors miss. */
export function verdicts(rows: readonly Row[]): Verdict[] {
  return byScenario(rows).map(([scenario, row]) => {
    const proxy = row("bare proxy");
    /** Req/s, p50 and TTFT of a target against the bare proxy's, over all rounds and per round. */
    const against = (target: Row["target"]) => {
      const { result, roundRps } = row(target);
      const perRound = roundRps.map((rps, i) => rps / proxy.roundRps[i]!);
      const { ratio, p50DeltaMs, ttftDeltaMs } = againstProxy(result, proxy.result);
      return {
        ratio, p50DeltaMs, ttftDeltaMs,
        range: [Math.min(...perRound), Math.max(...perRound)] as [number, number],
        missed: missedBars(ratio, p50DeltaMs, ttftDeltaMs),
      };
    };
    const gateway = against("gateway");
    const lean = against("lean gateway");
    const duties = against("duties floor");
    return {
      scenario,
      throughputRatio: gateway.ratio,
      roundRange: gateway.range,
      p50DeltaMs: gateway.p50DeltaMs,
      ttftDeltaMs: gateway.ttftDeltaMs,
      overheadP50: row("gateway").result.overheadP50,
      missed: gateway.missed,
      parsingRatio: againstProxy(row("parsing proxy").result, proxy.result).ratio,
      leanRatio: lean.ratio,
      leanRoundRange: lean.range,
      leanP50DeltaMs: lean.p50DeltaMs,
      leanMissed: gateway.missed.filter((bar) => lean.missed.includes(bar)),
      dutiesRatio: duties.ratio,
      dutiesRoundRange: duties.range,
      dutiesMissed: gateway.missed.filter((bar) => duties.missed.includes(bar)),
      dutiesCpuUs: row("duties floor").cpuUsPerRequest - row("lean gateway").cpuUsPerRequest,
      plumbingCpuUs: row("gateway").cpuUsPerRequest - row("duties floor").cpuUsPerRequest,
    };
  });
}

const range = ([low, high]: [number, number]) => `${low.toFixed(2)}–${high.toFixed(2)}×`;
const bars = (list: readonly Bar[]) => (list.length === 0 ? "none" : list.join(", "));

export function verdictTable(list: readonly Verdict[]): string {
  const header = [
    "scenario", "gateway ÷ proxy req/s", "rounds' range", "p50 Δ ms", "TTFT p50 Δ ms", "overhead header p50 ms", "bars missed",
    "of them, missed by the duties floor too", "of them, missed by the lean floor too", "parsing ÷ proxy req/s", "lean ÷ proxy req/s",
    "lean rounds' range", "lean p50 Δ ms", "duties ÷ proxy req/s", "duties rounds' range", "duties CPU beyond lean µs/req",
    "gateway CPU beyond duties µs/req",
  ];
  return markdownTable(
    header,
    list.map((v) => [
      v.scenario,
      `${v.throughputRatio.toFixed(2)}×`,
      range(v.roundRange),
      signed(v.p50DeltaMs),
      v.ttftDeltaMs === null ? "–" : signed(v.ttftDeltaMs),
      ms(v.overheadP50),
      bars(v.missed),
      v.missed.length === 0 ? "–" : bars(v.dutiesMissed),
      v.missed.length === 0 ? "–" : bars(v.leanMissed),
      `${v.parsingRatio.toFixed(2)}×`,
      `${v.leanRatio.toFixed(2)}×`,
      range(v.leanRoundRange),
      signed(v.leanP50DeltaMs),
      `${v.dutiesRatio.toFixed(2)}×`,
      range(v.dutiesRoundRange),
      v.dutiesCpuUs.toFixed(0),
      v.plumbingCpuUs.toFixed(0),
    ]),
  );
}

/**
 * The same scenarios one request at a time: latency with no queue, so each Δ is the time a request
 * spends in the gateway itself, judged against the latency bars. At concurrency C a closed
 * loop has p50 ≈ C ÷ req/s (Little's law), so under load every Δ is mostly queueing behind the
 * throughput gap.
 */
export function unloadedTable(rows: readonly Row[]): string {
  const header = [
    "scenario", "bare proxy p50 ms", "parsing p50 ms", "gateway p50 ms", "gateway p50 Δ ms", "gateway TTFT p50 Δ ms", "parsing p50 Δ ms",
    "latency bars missed",
  ];
  return markdownTable(
    header,
    byScenario(rows).map(([scenario, row]) => {
      const [proxy, parsing, gateway] = [row("bare proxy").result, row("parsing proxy").result, row("gateway").result];
      const { p50DeltaMs, ttftDeltaMs } = againstProxy(gateway, proxy);
      return [
        scenario, ms(proxy.p50), ms(parsing.p50), ms(gateway.p50), signed(p50DeltaMs), ttftDeltaMs === null ? "–" : signed(ttftDeltaMs),
        signed(parsing.p50 - proxy.p50), bars(missedBars(1, p50DeltaMs, ttftDeltaMs)),
      ];
    }),
  );
}

/** The CPU the load generator and the upstream spend on a target's request, in µs. */
export const besideServer = (cpu: { loadCpuUsPerRequest: number; upstreamCpuUsPerRequest: number }) =>
  cpu.loadCpuUsPerRequest + cpu.upstreamCpuUsPerRequest;

/**
 * A target's budget: the server CPU per request at which it would be at the throughput bar, from
 * the bare proxy's three processes' CPU per request and what the other two spend on the target's.
 */
export const budgetAtBar = (proxyAllUs: number, besideUs: number) => proxyAllUs / THROUGHPUT_BAR - besideUs;

/**
 * The throughput bar as CPU. At this load the two cores are the bottleneck, shared by the load
 * generator, the upstream and the server, so a target's req/s goes as the inverse of the CPU that
 * one request takes of all three processes; the ratio of two targets' req/s is then the inverse
 * ratio of those sums (the table shows the two side by side), and the gateway meets the 0.75× bar
 * when its own CPU per request is at most the bare proxy's sum ÷ 0.75, less what the load generator
 * and the upstream take of each of its requests: its budget, against which the floors' CPU and its
 * own are set.
 */
export function budgetTable(rows: readonly Row[]): string {
  const header = [
    "scenario", "load generator µs/req", "upstream µs/req", "all three, bare proxy µs/req", "all three, gateway µs/req",
    "gateway ÷ proxy req/s, measured / from CPU", "server budget at 0.75× µs/req", "lean floor µs/req", "duties floor µs/req", "gateway µs/req",
    "gateway over budget µs/req",
  ];
  return markdownTable(
    header,
    byScenario(rows).map(([scenario, row]) => {
      const [proxy, lean, duties, gateway] = [row("bare proxy"), row("lean gateway"), row("duties floor"), row("gateway")];
      const total = (r: Row) => besideServer(r) + r.cpuUsPerRequest;
      const budget = budgetAtBar(total(proxy), besideServer(gateway));
      return [
        scenario, gateway.loadCpuUsPerRequest.toFixed(0), gateway.upstreamCpuUsPerRequest.toFixed(0), total(proxy).toFixed(0), total(gateway).toFixed(0),
        `${(gateway.result.rps / proxy.result.rps).toFixed(2)}× / ${(total(proxy) / total(gateway)).toFixed(2)}×`,
        budget.toFixed(0), lean.cpuUsPerRequest.toFixed(0), duties.cpuUsPerRequest.toFixed(0), gateway.cpuUsPerRequest.toFixed(0),
        signed(gateway.cpuUsPerRequest - budget, 0),
      ];
    }),
  );
}
