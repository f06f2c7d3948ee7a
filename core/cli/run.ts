// The command line: `switchyard serve|check|explain|keys|usage`. Every command takes --config.

import { readFile } from "node:fs/promises";
import { version } from "../../package.json" with { type: "json" };
import { createKit } from "../kit/kit.ts";
import { createLogger } from "../log.ts";
import type { BuiltinPlugin } from "../plugins/registry.ts";
import { shownSecret } from "../ledger/secrets.ts";
import { ConfigError } from "../runtime/compile-all.ts";
import { serve } from "../server/serve.ts";
import { checkArgs, flag, parseArgs, UsageError, type CommandSpec, type FlagKind } from "./args.ts";
import { check } from "./check.ts";
import type { CliContext } from "./context.ts";
import { explain } from "./explain.ts";
import { keys, usage } from "./ledger-commands.ts";

const HELP = `switchyard: a self-hosted LLM router

usage:
  switchyard serve   [--config FILE] [--port N] [--host H] [--no-watch]
  switchyard check   [--config FILE]
  switchyard explain [--config FILE] REQUEST.json|-
  switchyard keys create --name NAME [--credit-limit USD] [--rate-limit PER_MINUTE] [--tags a,b] [--json]
  switchyard keys list [--json]
  switchyard keys disable ID|PREFIX|SECRET [--json]
  switchyard keys release ID|PREFIX|SECRET [--json]   (give back holds no request will settle)
  switchyard usage [--since 7d|24h|30m|2026-11-01] [--by model|provider|key|route|day] [--json]
  switchyard --help | --version

--config defaults to ./router.config.yaml. serve reloads on file changes, SIGHUP and
POST /admin/reload; --no-watch leaves only the last two.
`;

/** Every flag and whether it takes a value; which command takes which is in COMMANDS. */
const FLAG_KINDS: Readonly<Record<string, FlagKind>> = {
  config: "string", help: "boolean", version: "boolean",
  port: "string", host: "string", "no-watch": "boolean",
  name: "string", "credit-limit": "string", "rate-limit": "string", tags: "string", json: "boolean",
  since: "string", by: "string",
};

const command = (name: string, flags: string[], args: string[] = []): [string, CommandSpec] =>
  [name, { name, words: name.split(" ").length, flags: ["config", "help", "version", ...flags], args }];

const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map([
  command("serve", ["port", "host", "no-watch"]),
  command("check", []),
  command("explain", [], ["REQUEST.json"]),
  command("keys create", ["name", "credit-limit", "rate-limit", "tags", "json"]),
  command("keys list", ["json"]),
  command("keys disable", ["json"], ["ID|PREFIX|SECRET"]),
  command("keys release", ["json"], ["ID|PREFIX|SECRET"]),
  command("usage", ["since", "by", "json"]),
]);

function commandOf([first, second]: string[]): CommandSpec {
  const spec = COMMANDS.get(first === "keys" && second !== undefined ? `keys ${second}` : first!);
  if (spec) return spec;
  if (first === "keys") throw new UsageError(second === undefined ? "keys needs create, list, disable or release" : `unknown keys command "${shownSecret(second)}" (use create, list, disable or release)`);
  throw new UsageError(`unknown command "${shownSecret(first!)}"`);
}

function portOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Number("") is 0 and Number("1e3") 1000; Bun's own refusal names options.port, not the flag.
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return Number(value);
}

export async function run(argv: readonly string[], builtins: readonly BuiltinPlugin[]): Promise<number> {
  const log = createLogger();
  const out = (text: string) => void process.stdout.write(text);
  const err = (text: string) => void process.stderr.write(text);
  try {
    const args = parseArgs(argv, FLAG_KINDS);
    // Help and the version need no config, and whatever else is on the line, asking is no error.
    if (args.flags.has("version")) return out(`switchyard ${version}\n`), 0;
    if (args.flags.has("help") || args.positionals[0] === "help") return out(HELP), 0;
    if (args.positionals.length === 0) return out(HELP), 1;
    const spec = commandOf(args.positionals);
    checkArgs(args, spec);
    const configPath = flag(args, "config") ?? "router.config.yaml";
    if (configPath === "") throw new UsageError("--config needs a value");
    const ctx: CliContext = {
      configPath,
      builtins,
      env: process.env,
      kit: createKit({ log }),
      log,
      out,
      err,
      readInput: (path) => (path === "-" ? Bun.stdin.text() : readFile(path, "utf8")),
    };
    switch (spec.name) {
      case "serve": {
        await serve({ ...ctx, port: portOf(flag(args, "port")), host: flag(args, "host"), watch: !args.flags.has("no-watch") });
        return -1; // keeps running
      }
      case "check":
        return await check(ctx);
      case "explain": {
        const file = args.positionals[1];
        if (!file) throw new UsageError("explain needs a request file (or - for standard input)");
        return await explain(ctx, file);
      }
      case "usage":
        return await usage(ctx, args);
      default:
        return await keys(ctx, args);
    }
  } catch (error) {
    if (error instanceof ConfigError) err(error.message + "\n");
    else if (error instanceof UsageError) err(`${error.message}\n\n${HELP}`);
    else err(`switchyard: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 64 : 1;
  }
}
