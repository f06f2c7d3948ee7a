// Metering: the vendor's usage (or, when it reports none, an estimate that says so), priced
// exactly in nano-USD, plus the fee plugin's quote.

import type { EndpointSpec } from "../config/graph.ts";
import { errors } from "../errors.ts";
import { thinkingTokens, type ChatRequest, type Usage } from "../kit/canonical.ts";
import type { FeeInstance, Principal } from "../kit/plugin.ts";
import { usageCost } from "../money.ts";
import { isWebSearch } from "./anthropic-only.ts";

export interface Metered {
  usage: Usage;
  cost: number;
  fee: number;
}

/** Characters per token for estimates: the usual rule of thumb for English text and code. */
const CHARS_PER_TOKEN = 4;

export function estimateUsage(inputTokens: number, outputChars: number): Usage {
  return { inputTokens, outputTokens: Math.ceil(outputChars / CHARS_PER_TOKEN), estimated: true };
}

/**
 * A stream that stopped short, with the counts the vendor had given so far (Anthropic's
 * `message_start`, Gemini's last frame): those, cache reads and writes included, and at least the
 * output it sent, estimated (the counts of a frame may not have caught up with its text).
 */
export function stoppedUsage(known: Usage, outputChars: number): Usage {
  return { ...known, outputTokens: Math.max(known.outputTokens, Math.ceil(outputChars / CHARS_PER_TOKEN)), estimated: true };
}

const COUNTS = ["inputTokens", "outputTokens", "cachedInputTokens", "cacheWriteTokens", "cacheWrite1hTokens", "reasoningTokens", "webSearches"] as const;

/**
 * A vendor's counts as whole non-negative numbers: a broken server's −3 or 12.5 tokens would take
 * money off the key, or fail the ledger's row (PostgreSQL's columns are integers). Counts as they
 * should be come back as they are, with no copy.
 */
export function countedUsage(usage: Usage): Usage {
  let fixed: Usage | null = null;
  for (const field of COUNTS) {
    const value = usage[field];
    if (value === undefined || (Number.isSafeInteger(value) && value >= 0)) continue;
    fixed ??= { ...usage };
    fixed[field] = Number.isFinite(value) && value > 0 ? Math.min(Math.round(value), Number.MAX_SAFE_INTEGER) : 0;
  }
  return fixed ?? usage;
}

export function meter(
  reported: Usage,
  endpoint: EndpointSpec,
  fee: { instance: FeeInstance; name: string },
  principal: Principal,
): Metered {
  const usage = countedUsage(reported);
  const cost = usageCost(usage, endpoint.price);
  let charged: number;
  try {
    charged = fee.instance.quote(usage, cost, principal, {
      id: endpoint.id,
      provider: endpoint.provider,
      model: endpoint.model,
      publicModel: endpoint.publicModel,
    });
  } catch (error) {
    throw errors.fromPlugin(fee.name, "quote", error);
  }
  if (!Number.isSafeInteger(charged) || charged < 0) {
    throw errors.pluginFailed(fee.name, "quote", new Error(`returned ${charged}; a fee is a non-negative integer of nano-USD`));
  }
  return { usage, cost, fee: charged };
}

/** The most a request can cost on any of its candidates: what a credit-limited key must hold. */
export function maximumCharge(
  candidates: readonly EndpointSpec[],
  request: HeldRequest,
  inputTokens: number,
  fee: { instance: FeeInstance; name: string },
  principal: Principal,
): number {
  const webSearches = searchesToHold(request);
  const uncapped = heldOutput(request);
  // The request is walked for its breakpoints only where a candidate prices cache writes.
  const writes = candidates.some((e) => e.price.cacheWrite !== undefined || e.price.cacheWrite1h !== undefined) && marksCache(request);
  let most = 0;
  for (const endpoint of candidates) {
    const output = request.maxTokens ?? endpoint.maxOutput ?? uncapped;
    for (const usage of worstUsages(inputTokens, output, webSearches, writes, endpoint)) {
      const worst = meter(usage, endpoint, fee, principal);
      most = Math.max(most, worst.cost + worst.fee);
    }
  }
  return most;
}

type HeldRequest = Pick<ChatRequest, "maxTokens" | "anthropicTools" | "reasoning"> & Partial<Pick<ChatRequest, "messages" | "tools" | "anthropicFields">>;

/**
 * The usages a request may be charged at its most, on one endpoint: its input all written to the
 * prompt cache (for a request that marks a breakpoint, on an endpoint that prices writes apart),
 * and its output all reasoning (where reasoning is priced apart). Which is dearer is the price's
 * to say (a reasoning price may be below the output's), so each is metered.
 */
function worstUsages(inputTokens: number, outputTokens: number, webSearches: number, writes: boolean, endpoint: EndpointSpec): Usage[] {
  const { price } = endpoint;
  const inputs: Usage[] = [{ inputTokens, outputTokens, webSearches }];
  if (writes && price.cacheWrite !== undefined) inputs.push({ inputTokens, outputTokens, webSearches, cacheWriteTokens: inputTokens });
  if (writes && price.cacheWrite1h !== undefined) {
    inputs.push({ inputTokens, outputTokens, webSearches, cacheWriteTokens: inputTokens, cacheWrite1hTokens: inputTokens });
  }
  if (price.reasoning === undefined) return inputs;
  return [...inputs, ...inputs.map((usage) => ({ ...usage, reasoningTokens: outputTokens }))];
}

/** Whether the request marks a prompt-cache breakpoint anywhere (Anthropic's `cache_control`), so its input may be written to the cache. */
function marksCache(request: HeldRequest): boolean {
  if (request.anthropicFields?.cache_control) return true;
  if (request.tools?.some((tool) => tool.cacheControl)) return true;
  for (const message of request.messages ?? []) {
    if ("cacheControl" in message && message.cacheControl) return true;
    if (message.content.some((part) => part.cacheControl)) return true;
    if (message.role === "assistant" && message.toolCalls?.some((call) => call.cacheControl)) return true;
  }
  return false;
}

/** Output cap assumed for reservations when neither the request nor the endpoint sets one. */
const DEFAULT_MAX_OUTPUT = 8192;

/**
 * The output a credit-limited key holds for a request that sets no cap: the default room for the
 * answer, and a vendor that thinks writes its thinking beside it. The request is then sent with it
 * as its cap, so that no vendor writes more than was held.
 */
export function heldOutput(request: Pick<ChatRequest, "reasoning">): number {
  return DEFAULT_MAX_OUTPUT + (thinkingTokens(request.reasoning) ?? 0);
}

/** Searches assumed for reservations when a web search tool sets no `max_uses`: the charge itself counts what was made. */
const DEFAULT_MAX_SEARCHES = 10;

/** The web searches a request may make: its web search tools' `max_uses`. */
function searchesToHold(request: Pick<ChatRequest, "anthropicTools">): number {
  let searches = 0;
  for (const tool of request.anthropicTools ?? []) {
    if (isWebSearch(tool)) searches += typeof tool.max_uses === "number" ? tool.max_uses : DEFAULT_MAX_SEARCHES;
  }
  return searches;
}
