// `switchyard keys …` and `switchyard usage …`: operate on the configured storage directly, so
// they work with the server stopped as well as running.

import { formatDiagnostic } from "../config/diagnostics.ts";
import { openLedger } from "../ledger/index.ts";
import { isUsageGroup, USAGE_GROUPS, type Ledger } from "../ledger/types.ts";
import { creditLimitProblem, nanoToUsd, usdToNano } from "../money.ts";
import { compileAll } from "../runtime/compile-all.ts";
import { keyView, usageView } from "../server/views.ts";
import { parseSince } from "../since.ts";
import { flag, UsageError, type ParsedArgs } from "./args.ts";
import type { CliContext } from "./context.ts";
import { matchKey } from "./key-match.ts";
import { table } from "./table.ts";

async function withLedger(ctx: CliContext, run: (ledger: Ledger) => Promise<number>): Promise<number> {
  const compiled = await compileAll(ctx);
  if (!compiled.graph) {
    for (const d of compiled.diagnostics) ctx.err(formatDiagnostic(d) + "\n");
    return 1;
  }
  const ledger = await openLedger(compiled.graph.storage, { log: ctx.log });
  try {
    return await run(ledger);
  } finally {
    await ledger.close();
  }
}

const usd = (nano: number | null) => (nano === null ? "none" : `$${nanoToUsd(nano).toFixed(6)}`);

/** `keys create`'s flags, refused before the config is read: no key is made on a bad one. */
function createInput(args: ParsedArgs) {
  const name = flag(args, "name");
  if (!name) throw new UsageError("keys create needs --name NAME");
  const limit = flag(args, "credit-limit");
  // An empty value is no number: Number("") would make it a limit of $0.
  const problem = limit === undefined ? null : creditLimitProblem(limit.trim() === "" ? NaN : Number(limit));
  if (problem) throw new UsageError(`--credit-limit ${problem}, got "${limit}"`);
  const tags = flag(args, "tags")?.split(",").map((t) => t.trim()).filter(Boolean) ?? [];
  const rate = flag(args, "rate-limit");
  if (rate !== undefined && !(Number.isInteger(Number(rate)) && Number(rate) >= 1)) {
    throw new UsageError(`--rate-limit must be a whole number of requests per minute, got ${rate}`);
  }
  return { name, creditLimit: limit === undefined ? null : usdToNano(Number(limit)), rateLimit: rate === undefined ? null : Number(rate), tags };
}

/** `keys create|list|disable|release`; run.ts has checked the action and its flags. */
export async function keys(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const [, action, target] = args.positionals;
  const json = args.flags.has("json");
  const input = action === "create" ? createInput(args) : null;
  if ((action === "disable" || action === "release") && !target) throw new UsageError(`keys ${action} needs a key's id, prefix or secret`);
  return withLedger(ctx, async (ledger) => {
    if (input) {
      const created = await ledger.keys.create(input);
      if (json) ctx.out(JSON.stringify({ key: created.key, ...keyView(created.record) }) + "\n");
      else ctx.out(`${created.key}\n`), ctx.err(`created key ${created.record.id} "${input.name}"; the key is shown once, store it now\n`);
      return 0;
    }
    if (action === "list") {
      const list = await ledger.keys.list();
      if (json) ctx.out(JSON.stringify(list.map(keyView)) + "\n");
      else {
        const rows = list.map((k) => [k.id, `${k.prefix}…`, k.name, k.tags.join(","), usd(k.creditLimit), usd(k.spent), usd(k.reserved), k.disabled ? "disabled" : "active"]);
        ctx.out(table(["id", "prefix", "name", "tags", "limit", "spent", "held", "state"], rows));
      }
      return 0;
    }
    const match = await matchKey(ledger.keys, target!);
    if ("problem" in match) {
      ctx.err(`${match.problem}\n`);
      return 1;
    }
    if (action === "release") {
      const record = (await ledger.keys.releaseHolds(match.key.id)) ?? match.key;
      const held = usd(match.key.reserved);
      ctx.out(json ? JSON.stringify(keyView(record)) + "\n" : `released ${held} held on ${record.id} ${record.prefix}… "${record.name}"\n`);
      return 0;
    }
    const record = (await ledger.keys.disable(match.key.id)) ?? match.key;
    ctx.out(json ? JSON.stringify(keyView(record)) + "\n" : `disabled ${record.id} ${record.prefix}… "${record.name}"\n`);
    return 0;
  });
}

export async function usage(ctx: CliContext, args: ParsedArgs): Promise<number> {
  const by = flag(args, "by") ?? "model";
  if (!isUsageGroup(by)) throw new UsageError(`--by must be one of ${USAGE_GROUPS.join(", ")}, got "${by}"`);
  const sinceFlag = flag(args, "since") ?? "7d";
  const since = parseSince(sinceFlag, Date.now());
  if ("problem" in since) throw new UsageError(`--since ${sinceFlag} ${since.problem}`);
  return withLedger(ctx, async (ledger) => {
    const rows = await ledger.usage({ by, since: since.at });
    // By key, each row's key is named beside its id, as `keys list` names it.
    const names = by === "key" ? new Map((await ledger.keys.list()).map((k) => [k.id, k.name])) : null;
    const nameOf = (group: string | null) => (group === null ? "-" : (names?.get(group) ?? "-"));
    if (args.flags.has("json")) {
      ctx.out(JSON.stringify(rows.map((r) => (names ? { ...usageView(r), name: nameOf(r.group) } : usageView(r)))) + "\n");
      return 0;
    }
    type Totals = Pick<(typeof rows)[number], "requests" | "inputTokens" | "outputTokens" | "cost" | "fee" | "total">;
    const line = (group: string, name: string, r: Totals) =>
      [group, ...(names ? [name] : []), String(r.requests), String(r.inputTokens), String(r.outputTokens), usd(r.cost), usd(r.fee), usd(r.total)];
    const sum = (pick: (r: Totals) => number) => rows.reduce((total, r) => total + pick(r), 0);
    const totals: Totals = { requests: sum((r) => r.requests), inputTokens: sum((r) => r.inputTokens), outputTokens: sum((r) => r.outputTokens), cost: sum((r) => r.cost), fee: sum((r) => r.fee), total: sum((r) => r.total) };
    const body = [...rows.map((r) => line(r.group ?? "-", nameOf(r.group), r)), line("total", "", totals)];
    ctx.out(table([by, ...(names ? ["name"] : []), "requests", "input tokens", "output tokens", "cost", "fee", "total"], body));
    return 0;
  });
}
