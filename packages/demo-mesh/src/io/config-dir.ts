// The `files` mesh-config target as the demo reads it: every *.yaml / *.yml under a directory, laid out as
// `mesh-config/<namespace>/<kind>-<name>.yaml` (DESIGN.md §4), watched so that edits apply within about a second.
//
// Two ways of noticing changes, because neither is enough alone:
// - fs.watch on every folder (not `recursive: true`, whose Linux implementation in Node 20 is a JS emulation that
//   has missed events in folders created after the watch started); fast, but editors that save by writing a
//   temporary file and renaming it, network file systems and some containers lose events;
// - a poll every `pollMs` of the (path, mtime, size) of every file, which catches whatever the watch missed.
// Both only schedule a debounced reload; a reload reads and parses every file and reports a change only when the
// resulting objects or errors differ from the last ones reported.
import { type Dirent, type FSWatcher, watch } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type MeshObject, type ParseIssue, parseMeshYaml } from "@meshscope/mesh-config";

export interface MeshConfigLoad {
  objects: MeshObject[];
  /**
   * Problems per file; `source` is the path relative to the directory (`bookinfo/vs-reviews.yaml`), and
   * `document` is 0 when the file or folder as a whole could not be read.
   */
  errors: ParseIssue[];
}

export interface MeshConfigDirOptions {
  /** Quiet time after the last change before reloading (default 100 ms). */
  debounceMs?: number;
  /** Interval of the mtime/size poll that backs up fs.watch (default 1000 ms). */
  pollMs?: number;
}

export interface MeshConfigDirWatcher {
  /**
   * Reads the directory now. When the result differs from the last one reported, onChange gets it before this
   * promise resolves, so `await load()` at start-up applies the initial config. Reads never overlap.
   */
  load(): Promise<MeshConfigLoad>;
  /** Stops watching and polling; no onChange call happens after it. */
  close(): void;
}

// A config file larger than this is a mistake (or hostile) rather than Istio config; it is reported, not read.
const MAX_FILE_BYTES = 4 * 1024 * 1024;
// A Kubernetes namespace name is a DNS-1123 label.
const NAMESPACE_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

interface FoundFile {
  /** Relative to the watched directory, with `/` separators. */
  rel: string;
  abs: string;
  mtimeMs: number;
  size: number;
}

interface Scan {
  files: FoundFile[];
  /** Absolute paths of the directory and every folder under it. */
  folders: string[];
  /** Folders that could not be listed (permissions): reported, the rest is still read. */
  problems: ParseIssue[];
}

function isConfigFile(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml");
}

/**
 * Every config file under `dir`, sorted by path. Names starting with `.` are skipped: editors' temporary and lock
 * files (`.#x.yaml`, `.x.yaml.swp`), `.git`, and the `..data` folders of a mounted Kubernetes ConfigMap, whose
 * files appear again as symlinks at the top (symlinked files are followed, symlinked folders are not).
 * A missing directory is an empty one.
 */
async function scan(dir: string): Promise<Scan> {
  const result: Scan = { files: [], folders: [], problems: [] };
  const walk = async (abs: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return;
      const message = e instanceof Error ? e.message : String(e);
      result.problems.push({ source: rel === "" ? "." : rel, document: 0, message });
      return;
    }
    result.folders.push(abs);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const childAbs = join(abs, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(childAbs, childRel);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isConfigFile(entry.name)) {
        const info = await stat(childAbs).catch(() => undefined);
        if (info?.isFile()) result.files.push({ rel: childRel, abs: childAbs, mtimeMs: info.mtimeMs, size: info.size });
      }
    }
  };
  await walk(dir, "");
  result.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return result;
}

function signature(s: Scan): string {
  return JSON.stringify([s.files.map((f) => [f.rel, f.mtimeMs, f.size]), s.folders]);
}

function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && "code" in e && e.code === code;
}

/** The namespace folder a file sits in (its first path segment), or "default" for files at the top. */
function defaultNamespaceOf(rel: string): string {
  const slash = rel.indexOf("/");
  const folder = slash === -1 ? "" : rel.slice(0, slash);
  return NAMESPACE_LABEL.test(folder) ? folder : "default";
}

async function readConfigFile(file: FoundFile, into: MeshConfigLoad): Promise<void> {
  // `document: 0` stands for the file as a whole.
  if (file.size > MAX_FILE_BYTES) {
    into.errors.push({ source: file.rel, document: 0, message: `file is larger than ${MAX_FILE_BYTES} bytes` });
    return;
  }
  let text: string;
  try {
    text = await readFile(file.abs, "utf8");
  } catch (e) {
    if (isErrno(e, "ENOENT")) return; // deleted since the scan; the next reload sees it gone
    into.errors.push({ source: file.rel, document: 0, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const parsed = parseMeshYaml(text, { defaultNamespace: defaultNamespaceOf(file.rel), source: file.rel });
  into.objects.push(...parsed.objects);
  into.errors.push(...parsed.errors);
}

async function readScanned(found: Scan): Promise<MeshConfigLoad> {
  const load: MeshConfigLoad = { objects: [], errors: [...found.problems] };
  for (const file of found.files) await readConfigFile(file, load);
  return load;
}

/** Reads and parses every config file under `dir` once (a missing directory has no objects). */
export async function readMeshConfigDir(dir: string): Promise<MeshConfigLoad> {
  return readScanned(await scan(dir));
}

/** Watches `dir` (see the file comment) and calls onChange with the whole config whenever it changes. */
export function watchMeshConfigDir(
  dir: string,
  onChange: (result: MeshConfigLoad) => void,
  options: MeshConfigDirOptions = {},
): MeshConfigDirWatcher {
  const watcher = new ConfigDirWatcher(dir, onChange, options.debounceMs ?? 100, options.pollMs ?? 1000);
  watcher.load().catch(() => undefined);
  return { load: () => watcher.load(), close: () => watcher.close() };
}

class ConfigDirWatcher {
  private closed = false;
  // An empty directory is the state before the first read, so a first read that finds nothing is no change.
  private reported = JSON.stringify({ objects: [], errors: [] });
  private lastSignature = "";
  private queue: Promise<unknown> = Promise.resolve();
  private debounce: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly poller: NodeJS.Timeout;
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly dir: string,
    private readonly onChange: (result: MeshConfigLoad) => void,
    private readonly debounceMs: number,
    pollMs: number,
  ) {
    this.poller = setInterval(() => this.poll(), pollMs);
    this.poller.unref();
  }

  /** Reads are queued so that they never overlap and each caller sees a read that started after its call. */
  load(): Promise<MeshConfigLoad> {
    const next = this.queue.then(() => this.readOnce());
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.debounce);
    clearInterval(this.poller);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private async readOnce(): Promise<MeshConfigLoad> {
    const found = await scan(this.dir);
    const load = await readScanned(found);
    if (this.closed) return load;
    this.lastSignature = signature(found);
    this.syncWatchers(found.folders);
    const serialised = JSON.stringify(load);
    if (serialised !== this.reported) {
      this.reported = serialised;
      this.onChange(load);
    }
    return load;
  }

  private readonly schedule = (): void => {
    if (this.closed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      // A reload that fails is retried by the next event or poll.
      this.load().catch(() => undefined);
    }, this.debounceMs);
    this.debounce.unref();
  };

  private poll(): void {
    if (this.polling || this.closed) return;
    this.polling = true;
    scan(this.dir)
      .then((found) => {
        if (signature(found) !== this.lastSignature) this.schedule();
      })
      .catch(() => undefined)
      .finally(() => {
        this.polling = false;
      });
  }

  /** One fs.watch per folder that exists now; folders that went away lose theirs. */
  private syncWatchers(folders: readonly string[]): void {
    const wanted = new Set(folders);
    for (const [folder, w] of this.watchers) {
      if (wanted.has(folder)) continue;
      w.close();
      this.watchers.delete(folder);
    }
    for (const folder of wanted) {
      if (!this.watchers.has(folder)) this.watchFolder(folder);
    }
  }

  private watchFolder(folder: string): void {
    try {
      const w = watch(folder, { persistent: false }, this.schedule);
      // A watched folder that disappears errors on some platforms; the poll and the next reload take over.
      w.on("error", () => {
        w.close();
        this.watchers.delete(folder);
      });
      this.watchers.set(folder, w);
    } catch {
      // Gone between the scan and the watch, or out of inotify watches: the poll still covers the folder.
    }
  }
}
