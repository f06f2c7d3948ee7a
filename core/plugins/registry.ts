// The plugin registry: built-in plugins plus those found in the config's plugin folders, keyed by
// kind and name. It is what the config compiler consults and what snapshots instantiate.

import type { TSchema } from "@sinclair/typebox";
import type { Kit } from "../kit/kit.ts";
import type { PluginDefinition, PluginExport, PluginKind } from "../kit/plugin.ts";
import { loadPluginFolder } from "./load-folder.ts";
import { describe } from "../errors.ts";
import { validatePlugin, type PluginProblem } from "./validate.ts";

export interface RegisteredPlugin {
  plugin: PluginDefinition;
  /** Where it came from: "built-in" or the file path. */
  source: string;
}

export interface BuiltinPlugin {
  source: string;
  exported: PluginExport;
}

export interface CatalogEntry {
  kind: PluginKind;
  name: string;
  settings: TSchema;
  labels?(settings: Record<string, unknown>): readonly string[] | undefined;
}

export class PluginRegistry {
  readonly problems: PluginProblem[] = [];
  private readonly byKey = new Map<string, RegisteredPlugin>();

  constructor(private readonly kit: Kit) {}

  add(exported: unknown, source: string): void {
    const result = validatePlugin(exported, source, this.kit);
    if (!result.ok) {
      this.problems.push(result.problem);
      return;
    }
    const { plugin } = result;
    const key = `${plugin.kind}:${plugin.name}`;
    const existing = this.byKey.get(key);
    if (existing) {
      this.problems.push({
        file: source,
        message: `${plugin.kind} plugin "${plugin.name}" is already defined by ${existing.source}; rename one of them`,
      });
      return;
    }
    this.byKey.set(key, { plugin, source });
  }

  async addFolder(folder: string, timeLimitMs?: number): Promise<void> {
    for (const entry of await loadPluginFolder(folder, timeLimitMs)) {
      if ("problem" in entry) this.problems.push(entry.problem);
      else this.add(entry.exported, entry.file);
    }
  }

  get(kind: PluginKind, name: string): RegisteredPlugin | undefined {
    return this.byKey.get(`${kind}:${name}`);
  }

  names(kind: PluginKind): string[] {
    const names: string[] = [];
    for (const { plugin } of this.byKey.values()) if (plugin.kind === kind) names.push(plugin.name);
    return names;
  }

  /** The view the config compiler needs: settings schemas and, for classifiers, their labels. */
  catalog() {
    return {
      get: (kind: PluginKind, name: string): CatalogEntry | undefined => {
        const found = this.get(kind, name);
        if (!found) return undefined;
        const entry: CatalogEntry = { kind, name, settings: found.plugin.settings };
        if (kind === "classifier") entry.labels = (settings) => this.classifierLabels(found.plugin, settings);
        return entry;
      },
      names: (kind: PluginKind) => this.names(kind),
    };
  }

  /** A classifier declares its labels on the instance; build a throwaway one to read them. */
  private classifierLabels(plugin: PluginDefinition, settings: Record<string, unknown>): readonly string[] | undefined {
    try {
      const instance = plugin.create(settings, this.kit);
      if (instance instanceof Promise) return undefined;
      const labels = (instance as { labels?: readonly string[] }).labels;
      void (instance as { close?: () => unknown }).close?.();
      return labels;
    } catch (error) {
      this.problems.push({ file: plugin.name, message: `classifier "${plugin.name}" failed in create: ${describe(error)}` });
      return undefined;
    }
  }
}

export async function buildRegistry(kit: Kit, builtins: readonly BuiltinPlugin[], folders: readonly string[], timeLimitMs?: number) {
  const registry = new PluginRegistry(kit);
  for (const builtin of builtins) registry.add(builtin.exported, builtin.source);
  for (const folder of folders) await registry.addFolder(folder, timeLimitMs);
  return registry;
}
