// Compiles everything a snapshot needs from disk: the config file, the plugin folders it names and
// the plugins it uses. Used at start, by `check`/`explain`, and by every reload.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { compileConfig, redactDiagnostics } from "../config/compile.ts";
import { formatDiagnostic, type Diagnostic } from "../config/diagnostics.ts";
import type { RoutingGraph } from "../config/graph.ts";
import { unreadableDiagnostic } from "../config/load.ts";
import { ConfigSource } from "../config/source.ts";
import { pluginFolders } from "../config/plugin-folders.ts";
import type { Kit } from "../kit/kit.ts";
import { isLogger } from "../log.ts";
import { pluginFiles, pluginVersion } from "../plugins/load-folder.ts";
import type { PluginProblem } from "../plugins/validate.ts";
import { buildRegistry, type BuiltinPlugin, type PluginRegistry } from "../plugins/registry.ts";

export interface CompileAllOptions {
  configPath: string;
  env: Record<string, string | undefined>;
  builtins: readonly BuiltinPlugin[];
  kit: Kit;
  /** How long importing a plugin module, and each plugin's `create`, may take (30 s unless a test says). */
  pluginTimeLimitMs?: number;
}

export interface CompiledConfig {
  graph: RoutingGraph | null;
  diagnostics: Diagnostic[];
  registry: PluginRegistry;
  /** Hash of the config text and every plugin's version (pluginVersion): equal means nothing changed. */
  fingerprint: string;
  /**
   * `message` as an invalid-plugin diagnostic at the value `pointer` names in the config (a failed
   * `create` at its entry's `use:`), formatted, with the config's secrets masked. The file is read
   * into its layout again only then: a config that compiles never pays for it.
   */
  place(pointer: string, message: string): string;
}

/** A config that did not compile (or could not be read): its diagnostics, formatted as the message. */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join("\n\n"));
  }
}

/** What a reload gets back when the fingerprint equals the one it passed: nothing was compiled. */
export interface Unchanged {
  unchanged: true;
}

export function compileAll(options: CompileAllOptions): Promise<CompiledConfig>;
export function compileAll(options: CompileAllOptions, previous: string): Promise<CompiledConfig | Unchanged>;
export async function compileAll(options: CompileAllOptions, previous?: string): Promise<CompiledConfig | Unchanged> {
  const file = resolve(options.configPath);
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new ConfigError([unreadableDiagnostic(options.configPath, error)]);
  });
  const folders = pluginFolders(text, file, options.env);
  const fingerprint = await fingerprintOf(text, folders);
  if (fingerprint === previous) return { unchanged: true };
  const registry = await buildRegistry(options.kit, options.builtins, folders, options.pluginTimeLimitMs);
  const result = compileConfig(text, { file: options.configPath, env: options.env, plugins: registry.catalog() });
  if (isLogger(options.kit.log)) options.kit.log.redactSecrets(result.secrets);
  // A plugin's diagnostic quotes its file's line and its error's message, where a secret the config holds may be written too.
  // A plugin named by the config and not found may be one of the files that failed to load: said so, beside them.
  const named = registry.problems.length === 0 ? result.diagnostics : result.diagnostics.map(maybeFailedPlugin);
  const diagnostics = [...redactDiagnostics(registry.problems.map(pluginDiagnostic), result.secrets), ...named];
  const failed = diagnostics.some((d) => d.severity === "error");
  const place = (pointer: string, message: string) => {
    const source = new ConfigSource(options.configPath, text, options.env);
    const [placed] = redactDiagnostics([source.diagnostic("invalid-plugin", message, source.at(pointer))], result.secrets);
    return formatDiagnostic(placed!);
  };
  return { graph: failed ? null : result.graph, diagnostics, registry, fingerprint, place };
}

async function fingerprintOf(text: string, folders: string[]): Promise<string> {
  const hash = createHash("sha256").update(text);
  for (const folder of folders) {
    const files = await pluginFiles(folder).catch(() => [] as string[]);
    for (const file of files) hash.update(`\0${file}:${await pluginVersion(folder, file)}`);
  }
  return hash.digest("hex");
}

function maybeFailedPlugin(d: Diagnostic): Diagnostic {
  if (d.code !== "unknown-plugin") return d;
  return { ...d, hint: `${d.hint ? `${d.hint}; ` : ""}or it is defined in a plugin file that failed to load (above): mend that file` };
}

function pluginDiagnostic(problem: PluginProblem): Diagnostic {
  const at = problem.at ?? { line: 1, col: 1, offset: 0, length: 0, sourceLine: "" };
  return {
    code: "invalid-plugin",
    severity: "error",
    message: problem.message,
    ...(problem.hint ? { hint: problem.hint } : {}),
    file: problem.file,
    line: at.line,
    col: at.col,
    offset: at.offset,
    length: at.length,
    sourceLine: at.sourceLine,
  };
}
