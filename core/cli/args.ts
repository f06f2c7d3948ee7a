// A small argv parser: `--flag value`, `--flag=value`, boolean flags, `-h`, and positionals. Each
// command names what it takes and anything else is refused, naming it: an ignored flag would be a
// typo'd credit limit leaving a key unlimited.

import { didYouMean } from "../expr/did-you-mean.ts";
import { shownSecret } from "../ledger/secrets.ts";

/** A string flag takes a value; a boolean one takes none. */
export type FlagKind = "string" | "boolean";

export interface ParsedArgs {
  positionals: string[];
  /** By name without the dashes; a short flag other than `-h` keeps its dash, to be refused. */
  flags: Map<string, string | true>;
  /** Flags no command takes. */
  unknown: Set<string>;
}

/** What one command takes. */
export interface CommandSpec {
  /** As written: "keys create". */
  name: string;
  /** How many positionals name the command: 2 for "keys create". */
  words: number;
  flags: readonly string[];
  /** Its arguments after the command's words, by name; no more are taken. */
  args: readonly string[];
}

export class UsageError extends Error {}

const spelled = (name: string) => (name.startsWith("-") ? name : `--${name}`);

export function parseArgs(argv: readonly string[], kinds: Readonly<Record<string, FlagKind>>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const unknown = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h") {
      flags.set("help", true);
    } else if (/^-[A-Za-z]/.test(arg)) {
      flags.set(arg, true);
      unknown.add(arg);
    } else if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = arg.slice(2, eq > 0 ? eq : undefined);
      if (!Object.hasOwn(kinds, name)) unknown.add(name);
      if (eq > 0) {
        if (kinds[name] === "boolean") throw new UsageError(`${spelled(name)} takes no value`);
        flags.set(name, arg.slice(eq + 1));
      } else if (kinds[name] !== "string") {
        flags.set(name, true); // a boolean, or an unknown flag to be refused by checkArgs
      } else if (i + 1 >= argv.length || argv[i + 1]!.startsWith("--")) {
        throw new UsageError(`${spelled(name)} needs a value`);
      } else {
        flags.set(name, argv[++i]!);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { positionals, flags, unknown };
}

/** Refuses a flag the command does not take (naming the nearest it takes, for a typo) and an argument past its own. */
export function checkArgs(args: ParsedArgs, command: CommandSpec): void {
  for (const name of args.flags.keys()) {
    if (command.flags.includes(name)) continue;
    const near = didYouMean(name.replace(/^-+/, ""), command.flags);
    const what = args.unknown.has(name) ? `unknown flag ${spelled(name)}` : `${command.name} does not take ${spelled(name)}`;
    throw new UsageError(`${what}${near ? ` (did you mean --${near}?)` : ""}`);
  }
  const extra = args.positionals[command.words + command.args.length];
  if (extra === undefined) return;
  const wanted = command.args.length === 0 ? "no arguments" : `only ${command.args.join(" ")}`;
  // `check FILE` reads like it checks FILE; it would check ./router.config.yaml instead.
  const hint = ["check", "serve"].includes(command.name) || /\.ya?ml$/.test(extra) ? ` (to use it as the config, use --config ${extra})` : "";
  throw new UsageError(`${command.name} takes ${wanted}, not "${shownSecret(extra)}"${hint}`);
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
