import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type MeshObject, parseMeshYaml } from "@meshscope/mesh-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMeshConfigDir } from "../../../../packages/demo-mesh/src/io/config-dir.js";
import { createFilesTarget } from "./files-target.js";
import { type MeshTarget, TargetConflictError } from "./target.js";

function virtualService(name: string, namespace: string, subset = "v1"): MeshObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "meshscope" } },
    spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset } }] }] },
  };
}

const USER_FILE = `# Bookinfo routes, kept by hand
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts: [ratings]
  http:
    - route:
        - destination: {host: ratings, subset: v1}
---
# details stays on v1
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: details
spec:
  hosts: [details]
  http:
    - route:
        - destination: {host: details, subset: v1}
`;

describe("the files target", () => {
  let dir: string;
  let target: MeshTarget;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "meshscope-files-target-"));
    target = createFilesTarget({ dir, debounceMs: 20, pollMs: 100 });
  });
  afterEach(async () => {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a new object to <namespace>/<kind>-<name>.yaml, where the demo mesh reads it too", async () => {
    await target.list();
    await target.apply([{ action: "upsert", object: virtualService("reviews", "bookinfo") }]);
    const file = path.join(dir, "bookinfo", "virtualservice-reviews.yaml");
    expect(parseMeshYaml(readFileSync(file, "utf8")).objects).toEqual([virtualService("reviews", "bookinfo")]);
    const demo = await readMeshConfigDir(dir);
    expect(demo.objects).toEqual([virtualService("reviews", "bookinfo")]);
    // The temporary file was renamed, not left behind.
    expect(readdirSync(path.join(dir, "bookinfo"))).toEqual(["virtualservice-reviews.yaml"]);
  });

  it("lists objects with the file they live in and takes a missing namespace from the folder", async () => {
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "routes.yaml"), USER_FILE);
    const listing = await target.list();
    expect(listing.errors).toEqual([]);
    expect(listing.objects.map((s) => [s.object.metadata.namespace, s.object.metadata.name, s.source])).toEqual([
      ["bookinfo", "ratings", "bookinfo/routes.yaml"],
      ["bookinfo", "details", "bookinfo/routes.yaml"],
    ]);
  });

  it("updates an object in the user's own file in place, keeping the other documents and comments", async () => {
    mkdirSync(path.join(dir, "bookinfo"));
    const file = path.join(dir, "bookinfo", "routes.yaml");
    writeFileSync(file, USER_FILE);
    await target.list();
    await target.apply([{ action: "upsert", object: virtualService("details", "bookinfo", "v2") }]);
    const text = readFileSync(file, "utf8");
    // The document not edited is kept byte for byte, the edited one keeps the comment above it.
    expect(text.startsWith(USER_FILE.slice(0, USER_FILE.indexOf("---")))).toBe(true);
    expect(text).toContain("# details stays on v1");
    const objects = parseMeshYaml(text, { defaultNamespace: "bookinfo" }).objects;
    expect(objects.map((o) => o.metadata.name)).toEqual(["ratings", "details"]);
    expect(objects[1]).toEqual(virtualService("details", "bookinfo", "v2"));
    expect(readdirSync(path.join(dir, "bookinfo"))).toEqual(["routes.yaml"]);
  });

  it("deletes an object's own file, and only its document from a shared file", async () => {
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "routes.yaml"), USER_FILE);
    await target.list();
    await target.apply([{ action: "upsert", object: virtualService("reviews", "bookinfo") }]);
    await target.apply([
      { action: "delete", ref: { kind: "VirtualService", namespace: "bookinfo", name: "reviews" } },
      { action: "delete", ref: { kind: "VirtualService", namespace: "bookinfo", name: "ratings" } },
    ]);
    expect(readdirSync(path.join(dir, "bookinfo"))).toEqual(["routes.yaml"]);
    const listing = await target.list();
    expect(listing.objects.map((s) => s.object.metadata.name)).toEqual(["details"]);
  });

  it("reports a hand-edited file that does not parse and still lists the others", async () => {
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "broken.yaml"), "kind: VirtualService\nspec: [unclosed\n");
    writeFileSync(path.join(dir, "bookinfo", "routes.yaml"), USER_FILE);
    const listing = await target.list();
    expect(listing.objects).toHaveLength(2);
    expect(listing.errors).toHaveLength(1);
    expect(listing.errors[0]?.source).toBe("bookinfo/broken.yaml");
    expect(listing.errors[0]?.line).toBeGreaterThan(0);
  });

  it("refuses to overwrite a file that changed on disk since it was listed", async () => {
    await target.list();
    await target.apply([{ action: "upsert", object: virtualService("reviews", "bookinfo") }]);
    await target.list();
    const file = path.join(dir, "bookinfo", "virtualservice-reviews.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}# edited by someone else\n`);
    await expect(
      target.apply([{ action: "upsert", object: virtualService("reviews", "bookinfo", "v2") }]),
    ).rejects.toBeInstanceOf(TargetConflictError);
    expect(readFileSync(file, "utf8")).toContain("# edited by someone else");
  });

  it("refuses to create a file that someone else created since the listing", async () => {
    await target.list();
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "virtualservice-reviews.yaml"), "# mine\n");
    await expect(
      target.apply([
        { action: "upsert", object: virtualService("details", "bookinfo") },
        { action: "upsert", object: virtualService("reviews", "bookinfo") },
      ]),
    ).rejects.toBeInstanceOf(TargetConflictError);
    // Checked before the first write: the change that did not conflict was not written either.
    expect(readdirSync(path.join(dir, "bookinfo"))).toEqual(["virtualservice-reviews.yaml"]);
  });

  it("reports a file it cannot edit safely in the dry run instead of rewriting it", async () => {
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "virtualservice-reviews.yaml"), "a: [\n");
    await target.list();
    const problems = await target.dryRun([{ action: "upsert", object: virtualService("reviews", "bookinfo") }]);
    expect(problems.map((p) => p.code)).toEqual(["file_unreadable"]);
  });

  it("calls the watcher back after an external edit", async () => {
    await target.list();
    let calls = 0;
    const stop = target.watch(() => {
      calls++;
    });
    // Let the watcher take its baseline before the edit.
    await new Promise((r) => setTimeout(r, 150));
    mkdirSync(path.join(dir, "bookinfo"));
    writeFileSync(path.join(dir, "bookinfo", "routes.yaml"), USER_FILE);
    await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThan(0);
    stop();
  });
});
