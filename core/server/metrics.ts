// Prometheus metrics: request counters and latency by route, model and status, plus the live
// endpoint stats. Labels carry names from the config only, never keys or request content.

import type { ChatOutcome } from "../gateway/pipeline.ts";
import type { Runtime } from "../runtime/runtime.ts";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly overhead: Histogram = newHistogram();
  private readonly labelCache = new Map<string, string>();

  observe(outcome: ChatOutcome, totalMs: number): void {
    const status = outcome.kind === "error" ? outcome.error.status : 200;
    const { route, model, provider, overheadMs } = outcome.served;
    this.count(route, model, provider, status);
    let histogram = this.durations.get(route ?? "none");
    if (!histogram) this.durations.set(route ?? "none", (histogram = newHistogram()));
    record(histogram, totalMs / 1000);
    record(this.overhead, Math.max(0, overheadMs) / 1000);
  }

  /** A request refused before it was routed (a body that does not read, one too large): counted under route "none". */
  refused(status: number): void {
    this.count(null, null, null, status);
  }

  private count(route: string | null, model: string | null, provider: string | null, status: number): void {
    // Label strings are built once per combination, not per request.
    const key = `${route}\u0000${model}\u0000${provider}\u0000${status}`;
    let labels = this.labelCache.get(key);
    if (labels === undefined) {
      labels = `route="${esc(route ?? "none")}",model="${esc(model ?? "none")}",provider="${esc(provider ?? "none")}",status="${status}"`;
      this.labelCache.set(key, labels);
    }
    this.requests.set(labels, (this.requests.get(labels) ?? 0) + 1);
  }

  render(runtime: Runtime): string {
    const lines: string[] = [];
    lines.push("# HELP switchyard_requests_total Chat requests by route, served model, provider and status.");
    lines.push("# TYPE switchyard_requests_total counter");
    for (const [labels, value] of this.requests) lines.push(`switchyard_requests_total{${labels}} ${value}`);
    lines.push("# HELP switchyard_request_duration_seconds Time to response headers, by route.");
    lines.push("# TYPE switchyard_request_duration_seconds histogram");
    for (const [route, histogram] of this.durations) {
      renderHistogram(lines, "switchyard_request_duration_seconds", `route="${esc(route)}"`, histogram);
    }
    lines.push("# HELP switchyard_overhead_seconds Time spent in the gateway itself, excluding upstream time.");
    lines.push("# TYPE switchyard_overhead_seconds histogram");
    renderHistogram(lines, "switchyard_overhead_seconds", "", this.overhead);
    renderEndpoints(lines, runtime);
    renderLedger(lines, runtime);
    renderMemory(lines);
    lines.push("# HELP switchyard_config_version Version of the config snapshot serving requests.");
    lines.push("# TYPE switchyard_config_version gauge");
    lines.push(`switchyard_config_version ${runtime.snapshot.version}`);
    return lines.join("\n") + "\n";
  }
}

function renderEndpoints(lines: string[], runtime: Runtime): void {
  const gauges: [string, string, (s: ReturnType<Runtime["stats"]["snapshot"]>) => number | undefined][] = [
    ["switchyard_endpoint_inflight", "Requests in flight per endpoint.", (s) => s.inflight],
    ["switchyard_endpoint_latency_p95_seconds", "Latency p95 over the sliding window.", (s) => sec(s.latencyP95)],
    ["switchyard_endpoint_ttft_p95_seconds", "Time to first token p95 over the sliding window.", (s) => sec(s.ttftP95)],
    ["switchyard_endpoint_error_rate", "Error rate over the sliding window.", (s) => s.errorRate],
    ["switchyard_endpoint_circuit_open", "1 while the endpoint's circuit is open.", (s) => (s.circuit === "open" ? 1 : 0)],
  ];
  const ids = new Set<string>();
  for (const endpoints of runtime.snapshot.graph.models.values()) for (const e of endpoints) ids.add(e.id);
  for (const [name, help, read] of gauges) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const id of ids) {
      const value = read(runtime.stats.snapshot(id));
      if (value !== undefined) lines.push(`${name}{endpoint="${esc(id)}"} ${value}`);
    }
  }
}

/** The ledger's writes: a database that is down or refusing rows shows here before usage goes missing from reports. */
function renderLedger(lines: string[], runtime: Runtime): void {
  const writes = runtime.ledger.writes();
  lines.push(
    "# HELP switchyard_ledger_unwritten_rows Request rows recorded and not yet in the database.",
    "# TYPE switchyard_ledger_unwritten_rows gauge",
    `switchyard_ledger_unwritten_rows ${writes.unwritten}`,
    "# HELP switchyard_ledger_write_failures_total Batch writes that failed and were kept for a retry.",
    "# TYPE switchyard_ledger_write_failures_total counter",
    `switchyard_ledger_write_failures_total ${writes.writeFailures}`,
    "# HELP switchyard_ledger_refused_rows_total Rows the database refused for their data (stored salvaged, their record logged).",
    "# TYPE switchyard_ledger_refused_rows_total counter",
    `switchyard_ledger_refused_rows_total ${writes.refusedRows}`,
  );
}

/** Resident size next to the JS heap: tells a leak in our objects from memory the allocator keeps. */
function renderMemory(lines: string[]): void {
  const memory = process.memoryUsage();
  lines.push(
    "# HELP process_resident_memory_bytes Resident memory size in bytes.",
    "# TYPE process_resident_memory_bytes gauge",
    `process_resident_memory_bytes ${memory.rss}`,
    "# HELP switchyard_js_heap_bytes JavaScript heap: its size, and the part in use.",
    "# TYPE switchyard_js_heap_bytes gauge",
    `switchyard_js_heap_bytes{kind="total"} ${memory.heapTotal}`,
    `switchyard_js_heap_bytes{kind="used"} ${memory.heapUsed}`,
    "# HELP switchyard_external_memory_bytes Memory held outside the JS heap by JS objects (buffers, strings' storage).",
    "# TYPE switchyard_external_memory_bytes gauge",
    `switchyard_external_memory_bytes ${memory.external}`,
  );
}

function sec(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function newHistogram(): Histogram {
  return { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
}

function record(histogram: Histogram, seconds: number): void {
  histogram.sum += seconds;
  histogram.count++;
  for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) histogram.counts[i]!++;
}

function renderHistogram(lines: string[], name: string, labels: string, h: Histogram): void {
  const prefix = labels ? `${labels},` : "";
  BUCKETS.forEach((bound, i) => lines.push(`${name}_bucket{${prefix}le="${bound}"} ${h.counts[i]}`));
  lines.push(`${name}_bucket{${prefix}le="+Inf"} ${h.count}`);
  lines.push(`${name}_sum${labels ? `{${labels}}` : ""} ${h.sum}`);
  lines.push(`${name}_count${labels ? `{${labels}}` : ""} ${h.count}`);
}

function esc(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
