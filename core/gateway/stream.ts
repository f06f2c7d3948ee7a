// Relays a committed upstream stream to the client: observes usage and text as they pass, and when
// the stream ends (completed, broken, or abandoned by the client) meters it and writes its row.

import type { EndpointSpec } from "../config/graph.ts";
import { errors, isSwitchyardError, SwitchyardError } from "../errors.ts";
import type { StreamEvent, Usage } from "../kit/canonical.ts";
import { nanoToUsd } from "../money.ts";
import type { StatsRegistry } from "../stats/index.ts";
import { clientGone, isClientGone, nextEvents, type AttemptSuccess } from "./attempt.ts";
import { estimateUsage, type Metered } from "./meter.ts";
import type { ChatOutcome, Served, Settlement } from "./pipeline.ts";
import type { RowBuilder } from "./row.ts";

export interface RelayInput {
  success: Extract<AttemptSuccess, { kind: "stream" }>;
  endpoint: EndpointSpec;
  served: Served;
  row: RowBuilder;
  inputTokens: () => number;
  stats: StatsRegistry;
  meter(usage: Usage, endpoint: EndpointSpec): Metered;
  startedAt: number;
}

export function relayStream(input: RelayInput): ChatOutcome {
  let settlement: Settlement | null = null;
  const { success, endpoint } = input;

  async function* events(): AsyncGenerator<StreamEvent[]> {
    let usage: Usage | undefined;
    let outputChars = 0;
    let failure: SwitchyardError | null = null;
    let completed = false;
    try {
      let step = success.first;
      while (!step.done) {
        for (const event of step.value) {
          if (event.type === "usage") usage = event.usage;
          else if (event.type === "text" || event.type === "reasoning") outputChars += event.text.length;
          else if (event.type === "tool_call_delta") outputChars += event.arguments.length;
        }
        if (step.value.length) yield step.value;
        step = await nextEvents(success.iterator, endpoint.provider);
      }
      completed = true;
    } catch (error) {
      failure = isSwitchyardError(error) ? error : errors.upstream(`stream from ${endpoint.id} failed`, { cause: error });
      throw midStream(failure, endpoint);
    } finally {
      success.done();
      if (!completed) {
        // Client gone (generator returned early) or upstream broke: release the upstream call.
        success.abort(failure ?? clientGone());
        void success.iterator.return?.().catch(() => {});
      }
      const elapsed = performance.now() - input.startedAt;
      if (completed) input.stats.end(endpoint.id, { ok: true, latencyMs: elapsed, ttftMs: success.ttftMs });
      else if (failure && !isClientGone(failure)) input.stats.end(endpoint.id, { ok: false, latencyMs: elapsed });
      else input.stats.cancel(endpoint.id);
      const final = usage ?? estimateUsage(input.inputTokens(), outputChars);
      const metered = input.meter(final, endpoint);
      settlement = { usage: final, costUsd: nanoToUsd(metered.cost + metered.fee) };
      if (completed) input.row.succeeded(metered, success.ttftMs);
      else input.row.failed(failure ?? clientGone(), metered, success.ttftMs);
    }
  }

  return { kind: "stream", served: input.served, events: events(), settlement: () => settlement };
}

function midStream(error: SwitchyardError, endpoint: EndpointSpec): SwitchyardError {
  if (isClientGone(error)) return error;
  return new SwitchyardError(error.code === "timeout" ? "timeout" : "upstream_error", `upstream stream broke: ${error.message}`, {
    cause: error,
    metadata: { endpoint: endpoint.id, ...(error.metadata ? { upstream: error.metadata } : {}) },
  });
}
