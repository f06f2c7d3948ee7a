// `switchyard check`: compile the config and print every diagnostic, or a summary of the table.

import { formatDiagnostic } from "../config/diagnostics.ts";
import { buildDispatchTable } from "../dispatch/index.ts";
import { priceToUsdPerMillion } from "../money.ts";
import { createRedactor } from "../redact.ts";
import { compileAll } from "../runtime/compile-all.ts";
import type { CliContext } from "./context.ts";

export async function check(ctx: CliContext): Promise<number> {
  const compiled = await compileAll(ctx);
  for (const diagnostic of compiled.diagnostics) ctx.err(formatDiagnostic(diagnostic) + "\n");
  const graph = compiled.graph;
  if (!graph) {
    const count = compiled.diagnostics.filter((d) => d.severity === "error").length;
    ctx.err(`${ctx.configPath}: ${count} error(s); the config was not compiled\n`);
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
