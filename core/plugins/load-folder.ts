// Finds and imports the plugin modules of one folder: `*.ts|js|mjs` files and `*/index.ts|js` folders.

import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { unreadableReason } from "../unreadable.ts";
import { describe } from "../errors.ts";
import type { PluginProblem } from "./validate.ts";

export type LoadedModule = { file: string; exported: unknown } | { file: string; problem: PluginProblem };

const MODULE = /\.(ts|js|mjs)$/;
const SKIP = /\.(test|spec|d)\.(ts|js|mjs)$/;

export async function pluginFiles(folder: string): Promise<string[]> {
  const root = resolve(folder);
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    const reason = unreadableReason(error, { ENOENT: "there is no such folder (create it, or take it out of `plugins:`)" });
    throw new Error(`cannot read plugin folder ${folder}: ${reason}`);
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isFile() && MODULE.test(entry.name) && !SKIP.test(entry.name)) files.push(join(root, entry.name));
    if (entry.isDirectory()) {
      for (const index of ["index.ts", "index.js", "index.mjs"]) {
        const candidate = join(root, entry.name, index);
        if (await stat(candidate).then((s) => s.isFile(), () => false)) {
          files.push(candidate);
          break;
        }
      }
    }
  }
  return files;
}

/**
 * Imports each module fresh: the query string carries the file's mtime, so an edited plugin is
 * re-evaluated on reload while an unchanged one keeps its cached module.
 */
export async function loadPluginFolder(folder: string): Promise<LoadedModule[]> {
  let files: string[];
  try {
    files = await pluginFiles(folder);
  } catch (error) {
    return [{ file: folder, problem: { file: folder, message: describe(error) } }];
  }
  const loaded: LoadedModule[] = [];
  for (const file of files) {
    try {
      const info = await stat(file);
      const module = (await import(`${file}?v=${info.mtimeMs}-${info.size}`)) as { default?: unknown };
      if (module.default === undefined) loaded.push({ file, problem: { file, message: "the module has no default export" } });
      else loaded.push({ file, exported: module.default });
    } catch (caught) {
      // Several syntax errors come as one AggregateError ("3 errors building …"): the first is shown, where it is.
      const many = caught instanceof AggregateError && caught.errors.length > 0 ? caught.errors : null;
      const error = many ? many[0] : caught;
      const more = many && many.length > 1 ? ` (and ${many.length - 1} more)` : "";
      loaded.push({ file, problem: { file, message: `failed to load: ${withoutVersion(describe(error))}${more}`, ...(await failurePoint(error, file)) } });
    }
  }
  return loaded;
}

/** A module's path as the runtime names it, without the query that imports an edited file afresh (see loadPluginFolder). */
const withoutVersion = (text: string) => text.replace(/\?v=[\d.]+-\d+/g, "");

const PACKAGE_HINT = "a plugin imports only types from packages; the kit gives it TypeBox, the SSE parser, errors and fetch";

/**
 * Where a module that failed to load went wrong, for the diagnostic's line and caret: a syntax
 * error's position (Bun's BuildMessage carries one), the import that could not be resolved (a
 * ResolveMessage carries none: its specifier is looked for in the file that imported it), or the
 * top frame of an error thrown while the module ran.
 */
async function failurePoint(error: unknown, file: string): Promise<Partial<PluginProblem>> {
  const { position, specifier, referrer, stack } = error as {
    position?: { file?: unknown; line?: unknown; column?: unknown; offset?: unknown; length?: unknown; lineText?: unknown } | null;
    specifier?: unknown;
    referrer?: unknown;
    stack?: unknown;
  };
  if (position && typeof position.line === "number" && typeof position.column === "number") {
    return {
      file: typeof position.file === "string" && position.file ? withoutVersion(position.file) : file,
      at: { line: position.line, col: position.column, offset: Number(position.offset) || 0, length: Number(position.length) || 1, sourceLine: String(position.lineText ?? "") },
    };
  }
  if (typeof specifier === "string" && specifier) {
    const importer = typeof referrer === "string" && referrer ? withoutVersion(referrer) : file;
    const text = await readFile(importer, "utf8").catch(() => "");
    const found = [`"${specifier}"`, `'${specifier}'`].map((quoted) => text.indexOf(quoted)).filter((at) => at >= 0);
    const hint = /^[./]/.test(specifier) ? {} : { hint: PACKAGE_HINT };
    return { file: importer, ...(found.length ? { at: pointIn(text, Math.min(...found), specifier.length + 2) } : {}), ...hint };
  }
  const frame = typeof stack === "string" ? /^\s*at (?:.*\()?(\/[^()]*?):(\d+):(\d+)\)?$/m.exec(stack) : null;
  if (!frame) return {};
  const thrower = withoutVersion(frame[1]!);
  const text = await readFile(thrower, "utf8").catch(() => null);
  if (text === null) return {};
  const lineStart = text.split("\n").slice(0, Number(frame[2]) - 1).reduce((at, line) => at + line.length + 1, 0);
  return { file: thrower, at: pointIn(text, lineStart + Number(frame[3]) - 1, 1) };
}

/** The line and column of `offset` in `text`, with its line. */
function pointIn(text: string, offset: number, length: number): NonNullable<PluginProblem["at"]> {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(0, start).split("\n").length;
  return { line, col: offset - start + 1, offset, length, sourceLine: text.slice(start, end < 0 ? undefined : end) };
}
