// The command line: `switchyard serve|check|explain|keys|usage`. Every command takes --config.

import { readFile } from "node:fs/promises";
import { createKit } from "../kit/kit.ts";
import { createLogger } from "../log.ts";
import type { BuiltinPlugin } from "../plugins/registry.ts";
import { ConfigError } from "../runtime/compile-all.ts";
import { serve } from "../server/serve.ts";
import { flag, parseArgs, UsageError } from "./args.ts";
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
  switchyard keys disable ID|PREFIX
  switchyard usage [--since 7d] [--by model|provider|key|route|day] [--json]

--config defaults to ./router.config.yaml. serve reloads on file changes, SIGHUP and
POST /admin/reload; --no-watch leaves only the last two.
`;

export async function run(argv: readonly string[], builtins: readonly BuiltinPlugin[]): Promise<number> {
  const args = parseArgs(argv, ["json", "help", "no-watch"]);
  const command = args.positionals[0];
  const log = createLogger();
  const ctx: CliContext = {
    configPath: flag(args, "config") ?? "router.config.yaml",
    builtins,
    env: process.env,
    kit: createKit({ log }),
    log,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    readInput: (path) => (path === "-" ? Bun.stdin.text() : readFile(path, "utf8")),
  };
  try {
    switch (command) {
      case "serve": {
        const port = flag(args, "port");
        await serve({ ...ctx, port: port === undefined ? undefined : Number(port), host: flag(args, "host"), watch: !args.flags.has("no-watch") });
        return -1; // keeps running
      }
      case "check":
        return await check(ctx);
      case "explain": {
        const file = args.positionals[1];
        if (!file) throw new UsageError("explain needs a request file (or - for standard input)");
        return await explain(ctx, file);
      }
      case "keys":
        return await keys(ctx, args);
      case "usage":
        return await usage(ctx, args);
      case undefined:
      case "help":
        ctx.out(HELP);
        return command === undefined && !args.flags.has("help") ? 1 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError) ctx.err(error.message + "\n");
    else if (error instanceof UsageError) ctx.err(`${error.message}\n\n${HELP}`);
    else ctx.err(`switchyard: ${(error as Error).message}\n`);
    return error instanceof UsageError ? 64 : 1;
  }
}
