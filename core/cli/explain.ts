// `switchyard explain REQUEST.json`: which route and endpoints a request would take, and why every
// other route and endpoint was passed over. Runs the real classifiers; calls no vendor.

import { formatDiagnostic } from "../config/diagnostics.ts";
import { buildDispatchTable } from "../dispatch/index.ts";
import { describe } from "../errors.ts";
import { createRequestFacts, estimateInputTokens } from "../dispatch/facts.ts";
import type { ClassifierInstance, ClassifierValue, Principal } from "../kit/plugin.ts";
import { priceToUsdPerMillion } from "../money.ts";
import { compileAll } from "../runtime/compile-all.ts";
import { anthropicDialect, openaiDialect, responsesDialect } from "../server/dialects.ts";
import { StatsRegistry } from "../stats/index.ts";
import { unreadableReason } from "../unreadable.ts";
import type { CliContext } from "./context.ts";

/** Optional extras in the request file, to explain requests from a given key or with headers. */
interface ExplainExtras {
  $key?: { name?: string; tags?: string[] };
  $headers?: Record<string, string>;
}

/** The request to explain; an error names the file and what is wrong with it. */
async function readRequest(ctx: CliContext, path: string): Promise<Record<string, unknown> & ExplainExtras> {
  const name = path === "-" ? "the request on standard input" : `the request file ${path}`;
  const text = await ctx.readInput(path).catch((error: unknown) => {
    throw new Error(`cannot read ${name}: ${unreadableReason(error)}`);
  });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${describe(error)}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new Error(`${name} must be a JSON object: a request as a client sends it, to Chat Completions, the Responses API or Messages`);
  return body as Record<string, unknown> & ExplainExtras;
}

export async function explain(ctx: CliContext, requestPath: string): Promise<number> {
  const compiled = await compileAll(ctx);
  const graph = compiled.graph;
  if (!graph) {
    for (const d of compiled.diagnostics) ctx.err(formatDiagnostic(d) + "\n");
    return 1;
  }
  const body = await readRequest(ctx, requestPath);
  const { $key, $headers, ...wire } = body;
  // A Responses API body has `input` where the others have `messages`.
  const dialect = "input" in wire && !("messages" in wire) ? responsesDialect : isAnthropic(wire) ? anthropicDialect : openaiDialect;
  dialect.validate(wire);
  const decoded = dialect.decode(wire);
  const principal: Principal = { keyId: null, name: $key?.name ?? "anonymous", tags: $key?.tags ?? [], creditLimit: null };
  const table = buildDispatchTable(graph);
  const values = new Map<string, ClassifierValue>();
  for (const name of table.classifiersFor(decoded.request.model)) {
    const spec = graph.classifiers.get(name)!;
    const plugin = compiled.registry.get("classifier", spec.use)!.plugin;
    const instance = (await plugin.create(spec.settings, ctx.kit)) as ClassifierInstance;
    values.set(name, await instance.classify(decoded.request, new AbortController().signal));
    await instance.close?.();
  }
  const facts = createRequestFacts({
    request: decoded.request,
    model: decoded.request.model,
    principal,
    headers: new Headers($headers ?? {}),
    classify: (name) => values.get(name),
  });
  const inputTokens = estimateInputTokens(decoded.request);
  const result = table.dispatch(
    {
      model: decoded.request.model,
      models: decoded.models,
      provider: decoded.provider,
      facts,
      inputTokens,
      maxTokens: decoded.request.maxTokens,
    },
    { stats: new StatsRegistry(), trace: true },
  );
  const lines: string[] = [`request: model ${decoded.request.model}, ~${inputTokens} input tokens (${dialect.name} dialect)`];
  for (const [name, value] of values) lines.push(`classifier ${name} = ${JSON.stringify(value)}`);
  if (result.ok) {
    lines.push(`route: ${result.route.name}`, "candidates, in order:");
    result.candidates.forEach((e, i) => {
      const price = `$${priceToUsdPerMillion(e.price.input)} in / $${priceToUsdPerMillion(e.price.output)} out per M`;
      lines.push(`  ${i + 1}. ${e.id} (model ${e.publicModel}) ${price}${e.context ? `, context ${e.context}` : ""}, no live stats offline`);
    });
  } else {
    lines.push(`no route: ${result.error.code} ${result.error.status}: ${result.error.message}`);
  }
  lines.push("why:");
  for (const entry of result.trace ?? []) lines.push(`  ${entry.kind} ${entry.name}: ${entry.outcome}, ${entry.reason}`);
  ctx.out(lines.join("\n") + "\n");
  return result.ok ? 0 : 2;
}

/** An Anthropic body: a top-level `system`, or `max_tokens` with only user/assistant turns. */
function isAnthropic(body: Record<string, unknown>): boolean {
  if (typeof body.system === "string" || Array.isArray(body.system)) return true;
  if (!("max_tokens" in body) || "max_completion_tokens" in body || !Array.isArray(body.messages)) return false;
  return body.messages.every((m: { role?: string }) => m?.role === "user" || m?.role === "assistant");
}
