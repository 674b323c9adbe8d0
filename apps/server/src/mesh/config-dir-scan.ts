/**
 * The layout of the `files` target (DESIGN §4): `<dir>/<namespace>/<kind lower>-<name>.yaml`, one object per file,
 * read the way the demo mesh reads the same folder (packages/demo-mesh/src/io/config-dir.ts), so both see the
 * same objects: every `*.yaml` / `*.yml` under the directory, names starting with `.` skipped (editors' temporary
 * files, `.git`, a ConfigMap's `..data`, and our own temporary files while a write is in flight), and an object
 * without a namespace taking the one of the folder it sits in.
 */
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ObjectRef } from "@meshscope/model";

/** A Kubernetes namespace name is a DNS-1123 label. */
export const NAMESPACE_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** An object name is a DNS-1123 subdomain: no `/`, no `..`, so it can never leave its folder as a file name. */
export const OBJECT_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export interface FoundFile {
  /** Relative to the directory, with `/` separators: the object's `source`. */
  rel: string;
  abs: string;
  mtimeMs: number;
  size: number;
}

export interface DirScan {
  files: FoundFile[];
  /** Absolute paths of the directory and every folder under it (what the watcher watches). */
  folders: string[];
  /** Folders that could not be listed: reported, the rest is still read. */
  problems: { source: string; message: string }[];
}

/** Where a new object goes. The ref must have passed `isSafeRef` (the names become path segments). */
export function canonicalPath(ref: ObjectRef): string {
  return `${ref.namespace}/${ref.kind.toLowerCase()}-${ref.name}.yaml`;
}

export function isSafeRef(ref: ObjectRef): boolean {
  return NAMESPACE_LABEL.test(ref.namespace) && OBJECT_NAME.test(ref.name) && /^[A-Za-z]+$/.test(ref.kind);
}

/** The namespace folder a file sits in (its first path segment), or "default" for files at the top. */
export function defaultNamespaceOf(rel: string): string {
  const slash = rel.indexOf("/");
  const folder = slash === -1 ? "" : rel.slice(0, slash);
  return NAMESPACE_LABEL.test(folder) ? folder : "default";
}

export function isErrno(e: unknown, code: string): boolean {
  return e instanceof Error && "code" in e && e.code === code;
}

function isConfigFile(name: string): boolean {
  return name.endsWith(".yaml") || name.endsWith(".yml");
}

/** Every config file under `dir`, sorted by path. A missing directory is an empty one. */
export async function scanConfigDir(dir: string): Promise<DirScan> {
  const result: DirScan = { files: [], folders: [], problems: [] };
  const walk = async (abs: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return;
      result.problems.push({ source: rel === "" ? "." : rel, message: e instanceof Error ? e.message : String(e) });
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

/** Changes whenever a file is added, removed or rewritten, or a folder appears or goes. */
export function scanSignature(scan: DirScan): string {
  return JSON.stringify([scan.files.map((f) => [f.rel, f.mtimeMs, f.size]), scan.folders]);
}
