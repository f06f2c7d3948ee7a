// Finds and imports the plugin modules of one folder: `*.ts|js|mjs` files and `*/index.ts|js` folders.

import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe } from "./validate.ts";

export type LoadedModule = { file: string; exported: unknown } | { file: string; error: string };

const MODULE = /\.(ts|js|mjs)$/;
const SKIP = /\.(test|spec|d)\.(ts|js|mjs)$/;

export async function pluginFiles(folder: string): Promise<string[]> {
  const root = resolve(folder);
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === "ENOENT" ? "there is no such folder (create it, or take it out of `plugins:`)" : code === "ENOTDIR" ? "it is a file, not a folder" : describe(error);
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
    return [{ file: folder, error: describe(error) }];
  }
  const loaded: LoadedModule[] = [];
  for (const file of files) {
    try {
      const info = await stat(file);
      const module = (await import(`${file}?v=${info.mtimeMs}-${info.size}`)) as { default?: unknown };
      if (module.default === undefined) loaded.push({ file, error: "the module has no default export" });
      else loaded.push({ file, exported: module.default });
    } catch (error) {
      loaded.push({ file, error: `failed to load: ${describe(error)}` });
    }
  }
  return loaded;
}
