// Endpoint facts for a pool's `require:`: the endpoint's config plus its live statistics.

import type { EndpointSpec } from "../config/graph.ts";
import type { FactReader, FactValue } from "../expr/types.ts";
import { priceToUsdPerMillion } from "../money.ts";
import type { EndpointStats, StatsRegistry } from "../stats/index.ts";

/** An endpoint's facts that its config fixes; undefined for a statistic (or no such fact). */
export function configFact(endpoint: EndpointSpec, name: string): string | number | undefined {
  switch (name) {
    case "provider":
      return endpoint.provider;
    case "model":
      return endpoint.model;
    case "price.input":
      return priceToUsdPerMillion(endpoint.price.input);
    case "price.output":
      return priceToUsdPerMillion(endpoint.price.output);
    case "context":
      return endpoint.context;
    default:
      return undefined;
  }
}

/** Reads one endpoint's facts; the stats snapshot is taken only if a statistic is read. */
export class EndpointFacts implements FactReader {
  private stats: EndpointStats | null = null;

  constructor(
    private readonly endpoint: EndpointSpec,
    private readonly registry: StatsRegistry,
  ) {}

  get(name: string): FactValue {
    switch (name) {
      case "latency.p50":
        return this.snapshot().latencyP50;
      case "latency.p95":
        return this.snapshot().latencyP95;
      case "ttft.p95":
        return this.snapshot().ttftP95;
      case "error_rate":
        return this.snapshot().errorRate;
      case "inflight":
        return this.snapshot().inflight;
      default:
        return configFact(this.endpoint, name);
    }
  }

  private snapshot(): EndpointStats {
    if (this.stats === null) this.stats = this.registry.snapshot(this.endpoint.id);
    return this.stats;
  }
}

/** `name=value` for each fact an expression reads: what the trace shows when `require` fails. */
export function describeFacts(reader: FactReader, names: readonly string[]): string {
  return names.map((name) => `${name}=${String(reader.get(name) ?? "unknown")}`).join(", ");
}
