// Exact money. Amounts are integers of nano-USD (1e-9 USD) end to end; prices are integers of
// micro-USD per million tokens (= pico-USD per token), so a price like $0.0375/M stays exact.

import type { Usage } from "./kit/canonical.ts";

export const NANO_PER_USD = 1_000_000_000;

/** Price of an endpoint, in micro-USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  /** Writes to the hour-long cache (Anthropic's `ttl: "1h"`, twice the input price there); `cacheWrite` when unset. */
  cacheWrite1h?: number;
  reasoning?: number;
  /** One of Anthropic's web searches, in nano-USD (the config's `web_search` is USD per thousand). */
  webSearch?: number;
}

/** USD per million tokens as written in the config (a decimal) → micro-USD per million tokens. */
export function priceFromUsdPerMillion(usd: number): number {
  // Config prices have at most 6 decimals; rounding removes the float noise of the decimal literal.
  return Math.round(usd * 1_000_000);
}

/** micro-USD per million tokens → USD per million tokens, for display. */
export function priceToUsdPerMillion(micro: number): number {
  return micro / 1_000_000;
}

/** USD (a decimal, as a user types it) → nano-USD. */
export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

/**
 * What is wrong with a credit limit of `usd`, if anything: it is a number of USD, 0 or more, of at
 * least the ledger's unit (a billionth of a dollar) and at most what it counts exactly.
 */
export function creditLimitProblem(usd: number): string | null {
  if (!Number.isFinite(usd) || usd < 0) return "must be a number of USD, 0 or more";
  const nano = usdToNano(usd);
  if (usd > 0 && nano === 0) return "is less than a billionth of a dollar, the ledger's unit";
  if (!Number.isSafeInteger(nano)) return `is more than the ledger counts exactly (at most $${Math.floor(nanoToUsd(Number.MAX_SAFE_INTEGER))})`;
  return null;
}

/** nano-USD → USD, for API responses (the one place a float appears, at the edge). */
export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

/** Cost of `tokens` at `price` micro-USD/M, in nano-USD, rounded half up: tokens × price / 1000. */
export function tokenCost(tokens: number, price: number): number {
  if (tokens <= 0 || price <= 0) return 0;
  return Math.floor((tokens * price + 500) / 1000);
}

/**
 * Upstream cost of one request in nano-USD. Cached input and cache writes are priced at their own
 * rates when the endpoint gives them (else at the input rate); reasoning tokens at the reasoning
 * rate when given (else they are ordinary output); web searches at their price each (a request
 * that may search reaches only endpoints that price them).
 */
export function usageCost(usage: Usage, price: Price): number {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteTokens ?? 0;
  const writtenForAnHour = Math.min(written, usage.cacheWrite1hTokens ?? 0);
  const reasoning = price.reasoning === undefined ? 0 : (usage.reasoningTokens ?? 0);
  const plainInput = Math.max(0, usage.inputTokens - cached - written);
  const plainOutput = Math.max(0, usage.outputTokens - reasoning);
  return (
    tokenCost(plainInput, price.input) +
    tokenCost(cached, price.cachedInput ?? price.input) +
    tokenCost(written - writtenForAnHour, price.cacheWrite ?? price.input) +
    tokenCost(writtenForAnHour, price.cacheWrite1h ?? price.cacheWrite ?? price.input) +
    tokenCost(plainOutput, price.output) +
    tokenCost(reasoning, price.reasoning ?? price.output) +
    (usage.webSearches ?? 0) * (price.webSearch ?? 0)
  );
}
