import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MeshObject } from "@meshscope/mesh-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MeshConfigDirWatcher, type MeshConfigLoad, readMeshConfigDir, watchMeshConfigDir } from "./config-dir.js";

function reviewsSplit(v1: number, v3: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: ${v1}
    - destination: {host: reviews, subset: v3}
      weight: ${v3}
`;
}

const RATINGS_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
spec:
  host: ratings
  subsets:
  - name: v1
    labels: {version: v1}
`;

function weightsOf(objects: readonly MeshObject[]): number[] {
  const vs = objects.find((o) => o.kind === "VirtualService");
  if (vs?.kind !== "VirtualService") return [];
  return (vs.spec.http?.[0]?.route ?? []).map((r) => r.weight ?? 0);
}

/** Records onChange calls and lets a test wait for the next one. */
class ChangeLog {
  readonly seen: MeshConfigLoad[] = [];
  private waiting: ((r: MeshConfigLoad) => void) | undefined;
  readonly onChange = (r: MeshConfigLoad) => {
    this.seen.push(r);
    this.waiting?.(r);
    this.waiting = undefined;
  };
  next(withinMs = 2000): Promise<MeshConfigLoad> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no change within ${withinMs} ms`)), withinMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("watchMeshConfigDir", () => {
  let root: string;
  let dir: string;
  let watcher: MeshConfigDirWatcher | undefined;
  let log: ChangeLog;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "meshscope-config-dir-"));
    dir = join(root, "mesh-config");
    log = new ChangeLog();
  });

  afterEach(async () => {
    watcher?.close();
    watcher = undefined;
    await rm(root, { recursive: true, force: true });
  });

  it("treats a missing directory as no objects, then picks it up by polling once it is created", async () => {
    watcher = watchMeshConfigDir(dir, log.onChange, { debounceMs: 20 });
    expect(await watcher.load()).toEqual({ objects: [], errors: [] });
    expect(log.seen).toEqual([]);
    const change = log.next();
    await mkdir(join(dir, "bookinfo"), { recursive: true });
    await writeFile(join(dir, "bookinfo", "virtualservice-reviews.yaml"), reviewsSplit(90, 10));
    const { objects } = await change;
    expect(objects.map((o) => [o.kind, o.metadata.namespace, o.metadata.name])).toEqual([
      ["VirtualService", "bookinfo", "reviews"],
    ]);
  });

  it("reports a file added, edited and deleted within two seconds each", async () => {
    await mkdir(join(dir, "bookinfo"), { recursive: true });
    watcher = watchMeshConfigDir(dir, log.onChange, { debounceMs: 20 });
    await watcher.load();
    const file = join(dir, "bookinfo", "virtualservice-reviews.yaml");

    let change = log.next();
    await writeFile(file, reviewsSplit(90, 10));
    expect(weightsOf((await change).objects)).toEqual([90, 10]);

    change = log.next();
    await writeFile(file, reviewsSplit(50, 50));
    expect(weightsOf((await change).objects)).toEqual([50, 50]);

    change = log.next();
    await rm(file);
    expect((await change).objects).toEqual([]);
  });

  it("delivers the initial config through onChange before load() resolves", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "reviews.yaml"), reviewsSplit(80, 20));
    watcher = watchMeshConfigDir(dir, log.onChange);
    const loaded = await watcher.load();
    expect(weightsOf(loaded.objects)).toEqual([80, 20]);
    expect(log.seen).toHaveLength(1);
    expect(loaded.objects[0]?.metadata.namespace).toBe("default");
  });

  it("sees a file replaced by rename, the way editors save atomically", async () => {
    await mkdir(join(dir, "bookinfo"), { recursive: true });
    const file = join(dir, "bookinfo", "vs.yml");
    await writeFile(file, reviewsSplit(90, 10));
    watcher = watchMeshConfigDir(dir, log.onChange, { debounceMs: 20 });
    await watcher.load();
    const change = log.next();
    const temp = join(dir, "bookinfo", ".vs.yml.tmp");
    await writeFile(temp, reviewsSplit(10, 90));
    await rename(temp, file);
    expect(weightsOf((await change).objects)).toEqual([10, 90]);
  });

  it("reports a broken file by its relative path while the other files still apply", async () => {
    await mkdir(join(dir, "bookinfo"), { recursive: true });
    await writeFile(join(dir, "bookinfo", "destinationrule-ratings.yaml"), RATINGS_RULE);
    await writeFile(
      join(dir, "bookinfo", "virtualservice-reviews.yaml"),
      reviewsSplit(90, 10).replace("weight: 10", "weight: ten"),
    );
    await writeFile(join(dir, "bookinfo", "broken.yaml"), "kind: [VirtualService\n");
    watcher = watchMeshConfigDir(dir, log.onChange);
    const { objects, errors } = await watcher.load();
    expect(objects.map((o) => o.kind)).toEqual(["DestinationRule"]);
    expect(errors.map((e) => e.source)).toEqual(["bookinfo/broken.yaml", "bookinfo/virtualservice-reviews.yaml"]);
    expect(errors[1]?.path).toBe("spec.http[0].route[1].weight");
  });

  it("reads files in nested folders and multi-document files, and skips other files and hidden ones", async () => {
    await mkdir(join(dir, "bookinfo", "canary"), { recursive: true });
    await writeFile(join(dir, "bookinfo", "canary", "all.yaml"), `${RATINGS_RULE}---\n${reviewsSplit(90, 10)}`);
    await writeFile(join(dir, "bookinfo", "notes.txt"), "not config");
    await writeFile(join(dir, "bookinfo", ".#all.yaml"), "kind: [broken");
    const { objects, errors } = await readMeshConfigDir(dir);
    expect(errors).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "DestinationRule/bookinfo/ratings",
      "VirtualService/bookinfo/reviews",
    ]);
  });

  it("does not call onChange when a file is rewritten with the same content", async () => {
    await mkdir(dir, { recursive: true });
    const file = join(dir, "reviews.yaml");
    await writeFile(file, reviewsSplit(90, 10));
    watcher = watchMeshConfigDir(dir, log.onChange, { debounceMs: 20, pollMs: 100 });
    await watcher.load();
    await writeFile(file, reviewsSplit(90, 10));
    await sleep(400);
    expect(log.seen).toHaveLength(1);
  });

  it("stops reporting after close", async () => {
    await mkdir(dir, { recursive: true });
    watcher = watchMeshConfigDir(dir, log.onChange, { debounceMs: 20, pollMs: 100 });
    await watcher.load();
    watcher.close();
    await writeFile(join(dir, "reviews.yaml"), reviewsSplit(90, 10));
    await sleep(400);
    expect(log.seen).toEqual([]);
  });
});
