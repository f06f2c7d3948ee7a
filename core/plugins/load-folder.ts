// Finds and imports the plugin modules of one folder: `*.ts|js|mjs` files and `*/index.ts|js` folders.

import { createHash } from "node:crypto";
import { cp, readdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { unreadableReason } from "../unreadable.ts";
import { describe } from "../errors.ts";
import { PLUGIN_TIME_LIMIT_MS, TimeLimitError, withinTime } from "./time-limit.ts";
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
 * A plugin's version, which changes when any of its files does: a file plugin's modification time
 * and size; a folder plugin's, a hash of those of every file in its folder (its helpers too).
 */
export async function pluginVersion(folder: string, file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (dirname(file) === resolve(folder)) return `${info?.mtimeMs ?? 0}-${info?.size ?? 0}`;
  const hash = createHash("sha256");
  for (const source of await filesUnder(dirname(file))) {
    const each = await stat(source).catch(() => null);
    hash.update(`\0${source}:${each?.mtimeMs ?? 0}:${each?.size ?? 0}`);
  }
  return hash.digest("hex").slice(0, 16);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/**
 * Imports each module fresh: the query string carries the plugin's version, so an edited plugin is
 * re-evaluated on reload while an unchanged one keeps its cached module. A folder plugin's helpers
 * are imported without a query, so the runtime's cached copies of its folder's modules are dropped
 * first: a new version of its index imports the helpers as they are now.
 */
export async function loadPluginFolder(folder: string, timeLimitMs = PLUGIN_TIME_LIMIT_MS): Promise<LoadedModule[]> {
  let files: string[];
  try {
    files = await pluginFiles(folder);
  } catch (error) {
    return [{ file: folder, problem: { file: folder, message: describe(error) } }];
  }
  const loaded: LoadedModule[] = [];
  for (const file of files) {
    let from = file;
    try {
      const version = await pluginVersion(folder, file);
      from = await importPath(folder, file, version);
      const module = (await withinTime(import(`${from}?v=${version}`), timeLimitMs, "import")) as { default?: unknown };
      if (module.default === undefined) loaded.push({ file, problem: { file, message: "the module has no default export" } });
      else loaded.push({ file, exported: module.default });
    } catch (caught) {
      if (dirname(file) !== resolve(folder)) failed.add(dirname(file));
      if (caught instanceof TimeLimitError) {
        loaded.push({ file, problem: { file, message: `failed to load: ${caught.message}`, hint: "a top-level await in the module (or one it imports) never settled" } });
        continue;
      }
      // Several syntax errors come as one AggregateError ("3 errors building …"): the first is shown, where it is.
      const many = caught instanceof AggregateError && caught.errors.length > 0 ? caught.errors : null;
      const error = many ? many[0] : caught;
      const more = many && many.length > 1 ? ` (and ${many.length - 1} more)` : "";
      const point = await failurePoint(error, from);
      const original = (text: string) => withoutVersion(text).replaceAll(dirname(from), dirname(file));
      loaded.push({ file, problem: { file, message: `failed to load: ${original(describe(error))}${more}`, ...point, ...(point.file ? { file: original(point.file) } : {}) } });
    }
  }
  return loaded;
}

/** The version each folder plugin was last imported at, and from where: its cached modules are dropped only when it changes. */
const imported = new Map<string, { version: string; from: string }>();
/** Folder plugins one of whose modules failed to load: the runtime keeps that failure cached by its path for good. */
const failed = new Set<string>();

/**
 * Where a plugin's entry is imported from. A file plugin: itself, a new version by its query. A
 * folder plugin: its folder, with the runtime's cached copies of its modules dropped when it
 * changes, so that its index imports its helpers as they are now. But a module that failed to
 * load stays failed in the runtime's cache, which nothing can drop: a folder plugin that had one is
 * imported from a copy of its folder beside it (`.<name>@<version>`, hidden from the plugin search,
 * relative imports reaching what they reached), a fresh copy for each version, older ones removed.
 */
async function importPath(folder: string, file: string, version: string): Promise<string> {
  const dir = dirname(file);
  if (dir === resolve(folder)) return file;
  const last = imported.get(file);
  if (last?.version === version) return last.from;
  let from = file;
  if (failed.has(dir)) {
    const prefix = `.${basename(dir)}@`;
    for (const old of await readdir(dirname(dir)).catch(() => [])) {
      if (old.startsWith(prefix)) await rm(join(dirname(dir), old), { recursive: true, force: true });
    }
    const copy = join(dirname(dir), `${prefix}${version}`);
    await cp(dir, copy, { recursive: true, filter: (source) => !source.slice(dir.length).split("/").some((part) => part === "node_modules" || part.startsWith(".")) });
    // Its own packages, if it has any, are linked, not copied.
    if (await stat(join(dir, "node_modules")).then((s) => s.isDirectory(), () => false)) await symlink(join(dir, "node_modules"), join(copy, "node_modules"));
    from = join(copy, basename(file));
  } else forgetModulesUnder(dir);
  imported.set(file, { version, from });
  return from;
}

/**
 * Drops the modules under `dir` from the runtime's module cache (Bun keeps ES modules there too,
 * by path; the binary as well), so that the next import evaluates them afresh. Modules already
 * imported stay alive for the snapshot that uses them.
 */
function forgetModulesUnder(dir: string): void {
  for (const key of Object.keys(require.cache)) if (key.startsWith(`${dir}/`)) delete require.cache[key];
}

/** A module's path as the runtime names it, without the query that imports an edited file afresh (see loadPluginFolder). */
const withoutVersion = (text: string) => text.replace(/\?v=[\w.-]+/g, "");

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
