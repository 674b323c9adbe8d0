/**
 * Notices edits to the config directory made by anyone else (an editor, `git pull`, a GitOps sync). The demo mesh
 * has a watcher of its own, but it answers merged objects without their files, and the files target needs the
 * file of every object; this one only says "something changed" and the target re-reads.
 *
 * As in the demo's watcher, two mechanisms, because neither is enough alone: fs.watch on every folder (fast, but
 * editors that save by rename, network file systems and containers lose events; not `recursive: true`, whose
 * Linux emulation in Node 20 misses folders created later) and a poll of every file's (path, mtime, size).
 */
import { type FSWatcher, watch } from "node:fs";
import { scanConfigDir, scanSignature } from "./config-dir-scan.js";

export interface DirWatcherOptions {
  /** Quiet time after the last event before `onChange` (default 100 ms). */
  debounceMs?: number;
  /** Interval of the mtime/size poll (default 1000 ms). */
  pollMs?: number;
}

export interface DirWatcher {
  close(): void;
}

export function watchConfigDir(dir: string, onChange: () => void, options: DirWatcherOptions = {}): DirWatcher {
  const debounceMs = options.debounceMs ?? 100;
  let closed = false;
  let lastSignature: string | null = null;
  let polling = false;
  let debounce: NodeJS.Timeout | undefined;
  const watchers = new Map<string, FSWatcher>();

  const fire = (): void => {
    if (closed) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
    debounce.unref();
  };

  const syncWatchers = (folders: readonly string[]): void => {
    const wanted = new Set(folders);
    for (const [folder, w] of watchers) {
      if (wanted.has(folder)) continue;
      w.close();
      watchers.delete(folder);
    }
    for (const folder of wanted) {
      if (watchers.has(folder)) continue;
      try {
        const w = watch(folder, { persistent: false }, fire);
        // A watched folder that disappears errors on some platforms; the poll takes over.
        w.on("error", () => {
          w.close();
          watchers.delete(folder);
        });
        watchers.set(folder, w);
      } catch {
        // Gone between the scan and the watch, or out of inotify watches: the poll still covers the folder.
      }
    }
  };

  const poll = (): void => {
    if (polling || closed) return;
    polling = true;
    scanConfigDir(dir)
      .then((scan) => {
        if (closed) return;
        const signature = scanSignature(scan);
        // The first scan is the baseline, not a change.
        if (lastSignature !== null && signature !== lastSignature) fire();
        lastSignature = signature;
        syncWatchers(scan.folders);
      })
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  };

  const poller = setInterval(poll, options.pollMs ?? 1000);
  poller.unref();
  poll();
  return {
    close() {
      closed = true;
      clearTimeout(debounce);
      clearInterval(poller);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
