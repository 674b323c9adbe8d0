/**
 * The `files` target (DESIGN §4, the default): Istio YAML under one directory, `<namespace>/<kind>-<name>.yaml`,
 * GitOps-friendly, and the folder the in-process demo mesh obeys.
 *
 * - Writes are atomic: a temporary file in the same folder (its name starts with `.`, so neither this reader nor
 *   the demo's ever reads it half-written) is synced and renamed over the target.
 * - An object found in a file of the user's own naming is updated in place there (file-documents.ts).
 * - Conflicts: every file's SHA-256 is remembered when the directory is listed; a write to a file whose bytes
 *   changed since (or that appeared meanwhile) is refused with TargetConflictError instead of overwriting the
 *   other writer's edit.
 * - A file that does not parse is reported in the listing and skipped; it never stops the others from loading.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type MeshObject, parseMeshYaml } from "@meshscope/mesh-config";
import type { MeshFileError, ObjectRef } from "@meshscope/model";
import { canonicalPath, defaultNamespaceOf, isErrno, isSafeRef, scanConfigDir } from "./config-dir-scan.js";
import { type DirWatcherOptions, watchConfigDir } from "./dir-watcher.js";
import { editObjectInFile, FileEditError } from "./file-documents.js";
import { formatRef, refKey, refOf } from "./object-ref.js";
import {
  type MeshTarget,
  type StoredObject,
  type TargetChange,
  TargetConflictError,
  type TargetListing,
  type TargetProblem,
} from "./target.js";

export interface FilesTargetOptions extends DirWatcherOptions {
  dir: string;
}

// Larger than any real Istio config (and what the demo's reader refuses too): reported, not read.
const MAX_FILE_BYTES = 4 * 1024 * 1024;

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

async function readIfExists(abs: string): Promise<Buffer | null> {
  try {
    return await readFile(abs);
  } catch (e) {
    // ENOTDIR: a file sits where a folder of the path should be, so this file cannot exist either.
    if (isErrno(e, "ENOENT") || isErrno(e, "ENOTDIR")) return null;
    throw e;
  }
}

/** Temporary file in the same folder (rename is atomic only within one file system), then rename over `abs`. */
async function writeAtomic(abs: string, text: string): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", 0o644);
    try {
      await fh.writeFile(text, "utf8");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export function createFilesTarget(options: FilesTargetOptions): MeshTarget {
  return new FilesTarget(options);
}

class FilesTarget implements MeshTarget {
  readonly kind = "files" as const;
  /** SHA-256 of every file as last listed (path relative to the directory). */
  private seen = new Map<string, string>();
  /** Where each object was found when last listed. */
  private locations = new Map<string, string>();
  private listed = false;
  /** Lists and writes never overlap, so a write checks against a complete listing. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly unwatch = new Set<() => void>();

  constructor(private readonly options: FilesTargetOptions) {}

  list(): Promise<TargetListing> {
    return this.serial(() => this.listNow());
  }

  async dryRun(changes: readonly TargetChange[]): Promise<TargetProblem[]> {
    return this.serial(async () => {
      if (!this.listed) await this.listNow();
      const problems: TargetProblem[] = [];
      for (const change of changes) {
        const ref = change.action === "upsert" ? refOf(change.object) : change.ref;
        if (!isSafeRef(ref)) {
          problems.push({ ref, code: "invalid_name", message: `${formatRef(ref)}: not a valid Kubernetes name` });
          continue;
        }
        const rel = this.fileOf(ref);
        const text = await readIfExists(join(this.options.dir, rel));
        try {
          editObjectInFile(text?.toString("utf8") ?? null, defaultNamespaceOf(rel), ref, this.desired(change));
        } catch (e) {
          if (!(e instanceof FileEditError)) throw e;
          problems.push({ ref, code: "file_unreadable", message: `${rel}: ${e.message}` });
        }
      }
      return problems;
    });
  }

  apply(changes: readonly TargetChange[]): Promise<void> {
    return this.serial(async () => {
      if (!this.listed) await this.listNow();
      // Every file is checked before the first write, so a conflict leaves the directory as it was.
      await this.checkUnchanged(changes);
      for (const change of changes) await this.applyOne(change);
    });
  }

  watch(onChange: () => void): () => void {
    const watcher = watchConfigDir(this.options.dir, onChange, this.options);
    const stop = () => {
      watcher.close();
      this.unwatch.delete(stop);
    };
    this.unwatch.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    for (const stop of [...this.unwatch]) stop();
    await this.queue;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private desired(change: TargetChange): MeshObject | null {
    return change.action === "upsert" ? change.object : null;
  }

  private fileOf(ref: ObjectRef): string {
    return this.locations.get(refKey(ref)) ?? canonicalPath(ref);
  }

  private async listNow(): Promise<TargetListing> {
    const scan = await scanConfigDir(this.options.dir);
    const objects: StoredObject[] = [];
    const errors: MeshFileError[] = scan.problems.map((p) => ({ ...p, line: null }));
    const seen = new Map<string, string>();
    const locations = new Map<string, string>();
    for (const file of scan.files) {
      if (file.size > MAX_FILE_BYTES) {
        errors.push({ source: file.rel, message: `file is larger than ${MAX_FILE_BYTES} bytes`, line: null });
        continue;
      }
      const bytes = await readIfExists(file.abs);
      if (bytes === null) continue; // deleted since the scan; the watcher reports it
      seen.set(file.rel, sha256(bytes));
      const parsed = parseMeshYaml(bytes.toString("utf8"), {
        defaultNamespace: defaultNamespaceOf(file.rel),
        source: file.rel,
      });
      for (const issue of parsed.errors) {
        const where = issue.document > 1 ? `document ${issue.document}: ` : "";
        errors.push({ source: file.rel, message: `${where}${issue.message}`, line: issue.line ?? null });
      }
      for (const object of parsed.objects) {
        const key = refKey(refOf(object));
        const first = locations.get(key);
        if (first !== undefined) {
          errors.push({
            source: file.rel,
            message: `${formatRef(refOf(object))} is already defined in ${first}; this copy is ignored`,
            line: null,
          });
          continue;
        }
        locations.set(key, file.rel);
        objects.push({ object, source: file.rel });
      }
    }
    this.seen = seen;
    this.locations = locations;
    this.listed = true;
    return { objects, errors };
  }

  private async checkUnchanged(changes: readonly TargetChange[]): Promise<void> {
    const checked = new Set<string>();
    for (const change of changes) {
      const ref = change.action === "upsert" ? refOf(change.object) : change.ref;
      // Names become path segments: anything that could leave the folder never gets this far.
      if (!isSafeRef(ref)) throw new Error(`${formatRef(ref)}: not a valid Kubernetes name`);
      const rel = this.fileOf(ref);
      if (checked.has(rel)) continue;
      checked.add(rel);
      const bytes = await readIfExists(join(this.options.dir, rel));
      const current = bytes === null ? null : sha256(bytes);
      const listed = this.seen.get(rel) ?? null;
      if (current === listed) continue;
      const what = bytes === null ? "deleted" : listed === null ? "created" : "changed";
      throw new TargetConflictError(ref, `${rel} was ${what} on disk since it was read; reload and try again`);
    }
  }

  private async applyOne(change: TargetChange): Promise<void> {
    const ref = change.action === "upsert" ? refOf(change.object) : change.ref;
    const rel = this.fileOf(ref);
    const abs = join(this.options.dir, rel);
    const bytes = await readIfExists(abs);
    const text = editObjectInFile(bytes?.toString("utf8") ?? null, defaultNamespaceOf(rel), ref, this.desired(change));
    const key = refKey(ref);
    if (text === null) {
      if (bytes !== null) await rm(abs, { force: true });
      this.seen.delete(rel);
    } else {
      await writeAtomic(abs, text);
      this.seen.set(rel, sha256(text));
    }
    if (change.action === "upsert") this.locations.set(key, rel);
    else this.locations.delete(key);
  }
}
