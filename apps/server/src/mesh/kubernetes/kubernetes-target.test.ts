import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MeshObject, VirtualService } from "@meshscope/mesh-config";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type MeshTarget, TargetConflictError } from "../target.js";
import { type FakeKubeApi, startFakeKubeApi } from "./fake-kube-api.testing.js";
import { createKubernetesTarget, KubernetesTargetError, type KubernetesTargetOptions } from "./index.js";
import {
  DR_PATH,
  kubeConfigFor,
  kubeconfigYaml,
  kubectl,
  reviewsRoute,
  reviewsRule,
  VS_PATH,
} from "./kube-test-helpers.testing.js";

const ratingsRoute: VirtualService = {
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "ratings", namespace: "shop", resourceVersion: "ignored-on-create" },
  spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings" } }] }] },
};

function find(objects: readonly { object: MeshObject }[], kind: string, namespace: string, name: string) {
  return objects
    .map((o) => o.object)
    .find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
}

describe("kubernetes target (against a faithful fake API server)", () => {
  let fake: FakeKubeApi;
  let target: MeshTarget | undefined;
  const open = (options: Omit<KubernetesTargetOptions, "kubeConfig"> = {}) => {
    target = createKubernetesTarget({ kubeConfig: kubeConfigFor(fake), ...options });
    return target;
  };

  beforeEach(async () => {
    fake = await startFakeKubeApi();
  });
  afterEach(async () => {
    await target?.close();
    target = undefined;
    await fake.close();
  });

  it("lists every Istio kind in all namespaces as typed objects, without the server's bookkeeping", async () => {
    const annotated = {
      ...reviewsRule(),
      metadata: {
        ...reviewsRule().metadata,
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", team: "reviews" },
      },
    };
    expect((await kubectl(fake, "POST", DR_PATH, annotated)).status).toBe(201);
    const shopPath = "/apis/networking.istio.io/v1/namespaces/shop/virtualservices";
    const { metadata: _ignored, ...withoutVersion } = ratingsRoute;
    const ratings = {
      ...withoutVersion,
      metadata: { name: "ratings", namespace: "shop" },
      status: { validationMessages: [] },
    };
    expect((await kubectl(fake, "POST", shopPath, ratings)).status).toBe(201);
    const gateway = {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "bookinfo-gateway", namespace: "bookinfo" },
      spec: { selector: { istio: "ingressgateway" } },
    };
    expect(
      (await kubectl(fake, "POST", "/apis/networking.istio.io/v1/namespaces/bookinfo/gateways", gateway)).status,
    ).toBe(201);

    const listing = await open().list();

    expect(listing.errors).toEqual([]);
    expect(
      listing.objects
        .map((o) => `${o.source}:${o.object.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`)
        .sort(),
    ).toEqual([
      "kubernetes:DestinationRule/bookinfo/reviews",
      "kubernetes:Gateway/bookinfo/bookinfo-gateway",
      "kubernetes:VirtualService/shop/ratings",
    ]);
    const rule = find(listing.objects, "DestinationRule", "bookinfo", "reviews");
    expect(rule?.metadata).toEqual({
      name: "reviews",
      namespace: "bookinfo",
      labels: { "app.kubernetes.io/managed-by": "meshscope" },
      annotations: { team: "reviews" },
      resourceVersion: fake.resourceVersion("destinationrules", "bookinfo", "reviews"),
    });
    expect(rule?.spec).toEqual(reviewsRule().spec);
    expect(find(listing.objects, "VirtualService", "shop", "ratings")).not.toHaveProperty("status");
  });

  it("applies new objects with server-side apply as field manager meshscope, and reads them back equal", async () => {
    const t = open();
    await t.apply([
      { action: "upsert", object: reviewsRule() },
      { action: "upsert", object: reviewsRoute({ v1: 80, v3: 20 }) },
    ]);

    const writes = fake.requests.filter((r) => r.method === "PATCH");
    expect(writes.map((w) => w.path)).toEqual([`${DR_PATH}/reviews`, `${VS_PATH}/reviews`]);
    for (const w of writes) {
      expect(w.contentType).toBe("application/apply-patch+yaml");
      expect(w.query).toMatchObject({ fieldManager: "meshscope", force: "false" });
      expect(w.query).not.toHaveProperty("dryRun");
    }
    expect(fake.get("virtualservices", "bookinfo", "reviews")?.metadata).toMatchObject({
      managedFields: [{ manager: "meshscope", operation: "Apply" }],
    });
    const listing = await t.list();
    expect(find(listing.objects, "VirtualService", "bookinfo", "reviews")?.spec).toEqual(
      reviewsRoute({ v1: 80, v3: 20 }).spec,
    );
    expect(find(listing.objects, "DestinationRule", "bookinfo", "reviews")?.spec).toEqual(reviewsRule().spec);
  });

  it("updates an object it owns, removing the fields it no longer sets and bumping the resourceVersion", async () => {
    const t = open();
    const faulty = reviewsRoute({ v1: 100, v3: 0 });
    const firstRoute = faulty.spec.http?.[0];
    if (firstRoute === undefined) throw new Error("fixture has a route");
    faulty.metadata.labels = { ...faulty.metadata.labels, "meshscope.io/wizard": "fault-injection" };
    faulty.spec.http = [{ ...firstRoute, fault: { abort: { httpStatus: 500, percentage: { value: 50 } } } }];
    await t.apply([{ action: "upsert", object: faulty }]);
    const before = fake.resourceVersion("virtualservices", "bookinfo", "reviews");

    await t.apply([{ action: "upsert", object: reviewsRoute({ v1: 50, v3: 50 }) }]);

    const stored = await t.list();
    const route = find(stored.objects, "VirtualService", "bookinfo", "reviews");
    expect(route?.spec).toEqual(reviewsRoute({ v1: 50, v3: 50 }).spec);
    expect(route?.metadata.labels).toEqual({ "app.kubernetes.io/managed-by": "meshscope" });
    expect(Number(route?.metadata.resourceVersion)).toBeGreaterThan(Number(before));
  });

  it("deletes objects, and a delete of an object that is already gone is not an error", async () => {
    const t = open();
    await t.apply([{ action: "upsert", object: reviewsRule() }]);

    await t.apply([
      { action: "delete", ref: { kind: "DestinationRule", namespace: "bookinfo", name: "reviews" } },
      { action: "delete", ref: { kind: "VirtualService", namespace: "bookinfo", name: "never-existed" } },
    ]);

    expect(fake.get("destinationrules", "bookinfo", "reviews")).toBeUndefined();
    expect((await t.list()).objects).toEqual([]);
    expect(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([
      `${DR_PATH}/reviews`,
      `${VS_PATH}/never-existed`,
    ]);
  });

  it("dry-runs with dryRun=All, reports the API server's 422 as a problem, and persists nothing", async () => {
    const t = open();
    const zeroTimeout = reviewsRoute({ v1: 90, v3: 10 });
    const route = zeroTimeout.spec.http?.[0];
    if (route === undefined) throw new Error("fixture has a route");
    route.timeout = "0s";

    const problems = await t.dryRun([
      { action: "upsert", object: reviewsRule() },
      { action: "upsert", object: zeroTimeout },
      { action: "delete", ref: { kind: "AuthorizationPolicy", namespace: "bookinfo", name: "absent" } },
    ]);

    expect(problems).toEqual([
      {
        ref: { kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
        code: "kube_invalid",
        message:
          'VirtualService.networking.istio.io "reviews" is invalid: spec.http[0].timeout: Invalid value: "string": must be a valid duration greater than 1ms',
      },
    ]);
    expect(fake.requests.filter((r) => r.method !== "GET").every((r) => r.query.dryRun === "All")).toBe(true);
    expect(fake.get("destinationrules", "bookinfo", "reviews")).toBeUndefined();
    expect((await t.list()).objects).toEqual([]);
  });

  it("dry-run reports a write RBAC forbids as kube_forbidden, with the API server's message", async () => {
    await fake.close();
    fake = await startFakeKubeApi({
      deny: (verb, resource) => verb === "patch" && resource.kind === "PeerAuthentication",
    });
    const strict: MeshObject = {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: "bookinfo" },
      spec: { mtls: { mode: "STRICT" } },
    };

    const problems = await open().dryRun([{ action: "upsert", object: strict }]);

    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe("kube_forbidden");
    expect(problems[0]?.message).toContain(
      'cannot patch resource "peerauthentications" in API group "security.istio.io"',
    );
  });

  it("does not take over fields another field manager owns: the apply fails with TargetConflictError", async () => {
    const theirs = reviewsRoute({ v1: 100, v3: 0 });
    const applied = await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews?fieldManager=kubectl`,
      theirs,
      "application/apply-patch+yaml",
    );
    expect(applied.status).toBe(201);
    const t = open();

    const attempt = t.apply([{ action: "upsert", object: reviewsRoute({ v1: 80, v3: 20 }) }]);

    await expect(attempt).rejects.toBeInstanceOf(TargetConflictError);
    await expect(attempt).rejects.toThrow(
      'VirtualService bookinfo/reviews changed in the cluster: Apply failed with 1 conflict: conflict with "kubectl" using networking.istio.io/v1: .spec.http',
    );
    expect(fake.get("virtualservices", "bookinfo", "reviews")?.spec).toEqual(theirs.spec);
    const problems = await t.dryRun([{ action: "upsert", object: reviewsRoute({ v1: 80, v3: 20 }) }]);
    expect(problems.map((p) => p.code)).toEqual(["kube_conflict"]);
  });

  it("takes the fields over when forceConflicts is set", async () => {
    await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews?fieldManager=kubectl`,
      reviewsRoute({ v1: 100, v3: 0 }),
      "application/apply-patch+yaml",
    );

    await open({ forceConflicts: true }).apply([{ action: "upsert", object: reviewsRoute({ v1: 80, v3: 20 }) }]);

    expect(fake.get("virtualservices", "bookinfo", "reviews")?.spec).toEqual(reviewsRoute({ v1: 80, v3: 20 }).spec);
  });

  it("refuses to write back an object that changed in the cluster since it was read (stale resourceVersion)", async () => {
    const t = open();
    await t.apply([{ action: "upsert", object: reviewsRoute({ v1: 90, v3: 10 }) }]);
    const read = find((await t.list()).objects, "VirtualService", "bookinfo", "reviews");
    if (read?.kind !== "VirtualService") throw new Error("the route was listed");
    const edited = await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews`,
      { metadata: { labels: { owner: "sre" } } },
      "application/merge-patch+json",
    );
    expect(edited.status).toBe(200);

    const stale = { ...read, spec: reviewsRoute({ v1: 0, v3: 100 }).spec };
    const attempt = t.apply([{ action: "upsert", object: stale }]);

    await expect(attempt).rejects.toBeInstanceOf(TargetConflictError);
    await expect(attempt).rejects.toThrow("the object has been modified");
    expect(fake.get("virtualservices", "bookinfo", "reviews")?.spec).toEqual(reviewsRoute({ v1: 90, v3: 10 }).spec);
  });

  it("refuses to write back an object that was deleted in the cluster since it was read", async () => {
    const t = open();
    await t.apply([{ action: "upsert", object: reviewsRule() }]);
    const read = find((await t.list()).objects, "DestinationRule", "bookinfo", "reviews");
    if (read === undefined) throw new Error("the rule was listed");
    expect((await kubectl(fake, "DELETE", `${DR_PATH}/reviews`)).status).toBe(200);

    expect(await t.dryRun([{ action: "upsert", object: read }])).toEqual([
      {
        ref: { kind: "DestinationRule", namespace: "bookinfo", name: "reviews" },
        code: "kube_conflict",
        message: "DestinationRule bookinfo/reviews was deleted in the cluster since it was read",
      },
    ]);
    await expect(t.apply([{ action: "upsert", object: read }])).rejects.toBeInstanceOf(TargetConflictError);
    expect(fake.get("destinationrules", "bookinfo", "reviews")).toBeUndefined();
  });

  it("watch calls back when someone else changes an object, and not for its own writes", async () => {
    const t = open({ pollIntervalMs: 40 });
    await t.apply([{ action: "upsert", object: reviewsRule() }]);
    const onChange = vi.fn();
    const stop = t.watch(onChange);
    // Let the watcher take its baseline, then write through the target itself.
    await vi.waitFor(() => expect(fake.requests.filter((r) => r.method === "GET").length).toBeGreaterThan(12));
    await t.apply([{ action: "upsert", object: reviewsRoute({ v1: 90, v3: 10 }) }]);
    const polls = fake.requests.filter((r) => r.method === "GET").length;
    await vi.waitFor(() => expect(fake.requests.filter((r) => r.method === "GET").length).toBeGreaterThan(polls + 18));
    expect(onChange).not.toHaveBeenCalled();

    await kubectl(fake, "DELETE", `${DR_PATH}/reviews`);

    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1), { timeout: 5000 });
    stop();
  });

  it("skips malformed objects in the cluster with an error entry naming them, and keeps the rest", async () => {
    fake.seedRaw("virtualservices", {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "broken", namespace: "bookinfo" },
      spec: { hosts: ["reviews"], http: [{ route: [{ destination: { host: "reviews" }, weight: "ten" }] }] },
    });
    fake.seedRaw("destinationrules", {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "nospec", namespace: "bookinfo" },
    });
    const t = open();
    await t.apply([{ action: "upsert", object: reviewsRule() }]);

    const listing = await t.list();

    expect(listing.objects.map((o) => o.object.metadata.name)).toEqual(["reviews"]);
    expect(listing.errors).toEqual([
      { source: "kubernetes/bookinfo/DestinationRule/nospec", message: "spec: required field is missing", line: null },
      {
        source: "kubernetes/bookinfo/VirtualService/broken",
        message: expect.stringContaining("spec.http[0].route[0].weight"),
        line: null,
      },
    ]);
  });

  it("reports a kind it may not list as an error entry and still lists the others", async () => {
    await fake.close();
    fake = await startFakeKubeApi({ deny: (verb, resource) => verb === "list" && resource.kind === "EnvoyFilter" });
    await kubectl(fake, "POST", DR_PATH, reviewsRule());

    const listing = await open().list();

    expect(listing.objects.map((o) => o.object.kind)).toEqual(["DestinationRule"]);
    expect(listing.errors).toEqual([
      {
        source: "kubernetes/envoyfilters.networking.istio.io",
        message: expect.stringContaining("is forbidden"),
        line: null,
      },
    ]);
  });

  it("reads only the namespaces it is given, with namespaced LIST requests", async () => {
    await kubectl(fake, "POST", DR_PATH, reviewsRule());
    const { metadata: _m, ...ratings } = ratingsRoute;
    await kubectl(fake, "POST", "/apis/networking.istio.io/v1/namespaces/shop/virtualservices", {
      ...ratings,
      metadata: { name: "ratings", namespace: "shop" },
    });

    const listing = await open({ namespaces: ["bookinfo"] }).list();

    expect(listing.objects.map((o) => o.object.metadata.namespace)).toEqual(["bookinfo"]);
    const lists = fake.requests.filter((r) => r.method === "GET");
    expect(lists).toHaveLength(6);
    expect(lists.every((r) => r.path.includes("/namespaces/bookinfo/"))).toBe(true);
  });

  it("will not write a Gateway, which it only reads for references", async () => {
    const t = open();
    const gateway: MeshObject = {
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "gw", namespace: "bookinfo" },
      spec: {},
    };

    await expect(t.apply([{ action: "upsert", object: gateway }])).rejects.toBeInstanceOf(KubernetesTargetError);
    expect(await t.dryRun([{ action: "upsert", object: gateway }])).toEqual([
      {
        ref: { kind: "Gateway", namespace: "bookinfo", name: "gw" },
        code: "kube_unsupported_kind",
        message: "Gateway bookinfo/gw: Gateway is read-only for Meshscope",
      },
    ]);
    expect(fake.requests).toEqual([]);
  });

  it("loads a kubeconfig file and fails the listing when the API server is unreachable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meshscope-kubeconfig-"));
    try {
      const path = join(dir, "config");
      await writeFile(path, kubeconfigYaml(fake));
      target = createKubernetesTarget({ kubeconfigPath: path });
      await kubectl(fake, "POST", DR_PATH, reviewsRule());
      expect((await target.list()).objects).toHaveLength(1);

      await fake.close();
      fake = await startFakeKubeApi();
      // The kubeconfig still names the old port, where nothing listens now.
      await expect(target.list()).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
