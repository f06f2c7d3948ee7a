// Watches the config file and the plugin folders; a burst of changes triggers one reload.

import { watch, type FSWatcher } from "node:fs";
import { dirname, basename, resolve } from "node:path";
import type { Runtime } from "./runtime.ts";

export function watchConfig(runtime: Runtime, configPath: string, debounceMs = 150): () => void {
  const watchers: FSWatcher[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const trigger = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void runtime.reload("watch");
    }, debounceMs);
  };
  const file = resolve(configPath);
  // Watch the folder, not the file: editors replace files by rename, which ends a file watch.
  const add = (path: string, filter?: (name: string | null) => boolean, recursive = false) => {
    try {
      watchers.push(watch(path, { recursive }, (_event, name) => (!filter || filter(name)) && trigger()));
    } catch (error) {
      runtime.log.warn("cannot watch for changes", { path, error: (error as Error).message });
    }
  };
  add(dirname(file), (name) => name === null || name === basename(file));
  let folders = runtime.snapshot.graph.pluginDirs;
  for (const folder of folders) add(folder, undefined, true);
  // Plugin folders may be added by a reload: re-arm when the set changes.
  const interval = setInterval(() => {
    const next = runtime.snapshot.graph.pluginDirs;
    for (const folder of next) if (!folders.includes(folder)) add(folder, undefined, true);
    folders = next;
  }, 1000);
  interval.unref?.();
  return () => {
    clearInterval(interval);
    if (timer) clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
