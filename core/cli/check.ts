// `switchyard check`: compile the config and print every diagnostic, or a summary of the table.

import { formatDiagnostic } from "../config/diagnostics.ts";
import { buildDispatchTable } from "../dispatch/index.ts";
import { priceToUsdPerMillion } from "../money.ts";
import { createRedactor } from "../redact.ts";
import { compileAll } from "../runtime/compile-all.ts";
import { closeSnapshot, createSnapshot, SnapshotError } from "../runtime/snapshot.ts";
import type { KitKeyStore } from "../kit/kit.ts";
import type { CliContext } from "./context.ts";

const NO_KEYS: KitKeyStore = { verify: () => null };

export async function check(ctx: CliContext): Promise<number> {
  const compiled = await compileAll(ctx);
  for (const diagnostic of compiled.diagnostics) ctx.err(formatDiagnostic(diagnostic) + "\n");
  const graph = compiled.graph;
  if (!graph) {
    const count = compiled.diagnostics.filter((d) => d.severity === "error").length;
    ctx.err(`${ctx.configPath}: ${count} error(s); the config was not compiled\n`);
    return 1;
  }
  // Each plugin is created as `serve` creates it, so that one refusing its settings fails here too,
  // then closed. No ledger is opened: the key store the auth plugin gets knows no key.
  try {
    await closeSnapshot(await createSnapshot(graph, compiled.registry, { ...ctx.kit, keys: ctx.kit.keys ?? NO_KEYS }, 0, ctx.pluginTimeLimitMs, compiled.place), ctx.kit.log);
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    for (const problem of error.problems) ctx.err(`${createRedactor(graph.secrets)(problem)}\n`);
    ctx.err(`${ctx.configPath}: ${error.problems.length} plugin(s) refused the config; serve would not start\n`);
    return 1;
  }
  const lines: string[] = [`${ctx.configPath}: ok`, "", "providers:"];
  for (const p of graph.providers.values()) {
    lines.push(`  ${p.name} (${p.use})${p.available ? "" : ` unavailable: ${p.unavailableReason ?? "disabled"}`}`);
  }
  lines.push("", "models:");
  for (const [id, endpoints] of graph.models) {
    const list = endpoints.map((e) => {
      const price = `$${priceToUsdPerMillion(e.price.input)}/$${priceToUsdPerMillion(e.price.output)} per M`;
      return `${e.id} ${price}${e.available ? "" : " (unavailable)"}`;
    });
    lines.push(`  ${id} → ${list.join(", ")}`);
  }
  if (graph.pools.size > 0) {
    lines.push("", "pools:");
    for (const pool of graph.pools.values()) {
      const members = pool.among.map((t) => (t.kind === "request-model" ? "$model" : t.name)).join(", ");
      lines.push(`  ${pool.name}: ${pool.pick} among [${members}]${pool.require ? ` require ${pool.require.source}` : ""}`);
    }
  }
  lines.push("", `routes (${graph.routes.length}, first match wins):`);
  for (const line of buildDispatchTable(graph).describe()) lines.push(`  ${line}`);
  ctx.out(createRedactor(graph.secrets)(lines.join("\n")) + "\n");
  return 0;
}
