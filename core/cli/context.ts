// What every command shares: the config path, the built-in plugins, output streams and the kit.

import type { Logger } from "../log.ts";
import type { BuiltinPlugin } from "../plugins/registry.ts";
import type { Kit } from "../kit/kit.ts";

export interface CliContext {
  configPath: string;
  builtins: readonly BuiltinPlugin[];
  env: Record<string, string | undefined>;
  kit: Kit;
  log: Logger;
  out(text: string): void;
  err(text: string): void;
  /** How long importing a plugin module, and each plugin's `create`, may take (30 s unless a test says). */
  pluginTimeLimitMs?: number;
  /** Reads a file, or standard input for "-". */
  readInput(path: string): Promise<string>;
}
