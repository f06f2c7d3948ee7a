// Watches the config file and the plugin folders; a burst of changes triggers one reload.

import { existsSync, unwatchFile, watch, watchFile, type FSWatcher, type Stats } from "node:fs";
import { resolve } from "node:path";
import type { Runtime } from "./runtime.ts";

const CONFIG_POLL_MS = 200;

export function watchConfig(runtime: Runtime, configPath: string, debounceMs = 150): () => void {
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
  // A plugin folder's watch ends with the folder: replaced by a deploy (`rm -rf plugins && cp -r
  // new plugins`), it is watched again once it is back, and reloaded then, since edits made while
  // no watch was on would be missed. Its last event has no file name.
  const watched = new Map<string, FSWatcher | null>();
  const add = (folder: string) => {
    try {
      const watcher: FSWatcher = watch(folder, { recursive: true }, (_event, name) => {
        // Hidden files are no plugin's: an editor's swap file, a folder plugin's fresh copy (load-folder.ts).
        if (name && String(name).split("/").some((part) => part.startsWith("."))) return;
        trigger();
        if (!name) drop(folder, watcher);
      });
      watcher.on("error", () => drop(folder, watcher));
      watched.set(folder, watcher);
    } catch (error) {
      watched.set(folder, null);
      runtime.log.warn("cannot watch for changes", { path: folder, error: (error as Error).message });
    }
  };
  const drop = (folder: string, watcher: FSWatcher) => {
    watcher.close();
    if (watched.get(folder) === watcher) watched.delete(folder);
  };
  for (const folder of runtime.snapshot.graph.pluginDirs) add(folder);
  // Plugin folders may be added by a reload, or come back after a replacement: re-arm them.
  const interval = setInterval(() => {
    for (const folder of runtime.snapshot.graph.pluginDirs) {
      if (watched.has(folder) || !existsSync(folder)) continue;
      add(folder);
      trigger();
    }
  }, CONFIG_POLL_MS);
  interval.unref?.();
  return () => {
    clearInterval(interval);
    if (timer) clearTimeout(timer);
    unwatchFile(file, onStat);
    for (const watcher of watched.values()) watcher?.close();
  };
}
