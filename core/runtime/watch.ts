// Watches the config file and the plugin folders; a burst of changes triggers one reload.

import { unwatchFile, watch, watchFile, type FSWatcher, type Stats } from "node:fs";
import { resolve } from "node:path";
import type { Runtime } from "./runtime.ts";

const CONFIG_POLL_MS = 200;

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
  // The config file is polled by stat, not watched: editors replace files by rename (which ends a
  // file watch), and watching its folder would wake us on every write of a database kept there.
  const onStat = (now: Stats, before: Stats) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) trigger();
  };
  watchFile(file, { interval: CONFIG_POLL_MS, persistent: false }, onStat);
  const add = (path: string) => {
    try {
      watchers.push(watch(path, { recursive: true }, () => trigger()));
    } catch (error) {
      runtime.log.warn("cannot watch for changes", { path, error: (error as Error).message });
    }
  };
  let folders = runtime.snapshot.graph.pluginDirs;
  for (const folder of folders) add(folder);
  // Plugin folders may be added by a reload: re-arm when the set changes.
  const interval = setInterval(() => {
    const next = runtime.snapshot.graph.pluginDirs;
    for (const folder of next) if (!folders.includes(folder)) add(folder);
    folders = next;
  }, 1000);
  interval.unref?.();
  return () => {
    clearInterval(interval);
    if (timer) clearTimeout(timer);
    unwatchFile(file, onStat);
    for (const watcher of watchers) watcher.close();
  };
}
