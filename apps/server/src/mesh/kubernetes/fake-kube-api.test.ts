// The fake must behave like kube-apiserver where the Kubernetes target relies on it; these tests talk to it over
// plain HTTP, as kubectl would, and pin the status codes and Status bodies.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeKubeApi, startFakeKubeApi } from "./fake-kube-api.testing.js";
import { DR_PATH, kubectl, reviewsRoute, reviewsRule, VS_PATH } from "./kube-test-helpers.testing.js";

const APPLY = "application/apply-patch+yaml";
const MERGE = "application/merge-patch+json";

function resourceVersionOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("metadata" in body)) return undefined;
  const { metadata } = body;
  if (typeof metadata !== "object" || metadata === null || !("resourceVersion" in metadata)) return undefined;
  return typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : undefined;
}

describe("faithful fake Kubernetes API server", () => {
  let fake: FakeKubeApi;
  beforeEach(async () => {
    fake = await startFakeKubeApi();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("answers an unknown object with a NotFound Status shaped as kube-apiserver writes it", async () => {
    const answer = await kubectl(fake, "GET", `${VS_PATH}/reviews`);

    expect(answer).toEqual({
      status: 404,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'virtualservices.networking.istio.io "reviews" not found',
        reason: "NotFound",
        details: { name: "reviews", group: "networking.istio.io", kind: "virtualservices" },
        code: 404,
      },
    });
  });

  it("answers 404 for a resource it does not serve and 401 without the bearer token", async () => {
    expect((await kubectl(fake, "GET", "/apis/networking.istio.io/v1/sidecars")).status).toBe(404);
    const anonymous = await fetch(`${fake.url}${VS_PATH}`);
    expect(anonymous.status).toBe(401);
  });

  it("bumps the resourceVersion on every write and rejects a PUT that names a stale one with 409", async () => {
    const created = await kubectl(fake, "POST", VS_PATH, reviewsRoute({ v1: 90, v3: 10 }));
    const first = resourceVersionOf(created.body);
    const update = (rv: string | undefined, v1: number) => {
      const body = reviewsRoute({ v1, v3: 100 - v1 });
      return kubectl(fake, "PUT", `${VS_PATH}/reviews`, {
        ...body,
        metadata: { ...body.metadata, resourceVersion: rv },
      });
    };

    const second = await update(first, 80);
    const stale = await update(first, 70);

    expect(second.status).toBe(200);
    expect(Number(resourceVersionOf(second.body))).toBeGreaterThan(Number(first));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
    expect(fake.get("virtualservices", "bookinfo", "reviews")?.spec).toEqual(reviewsRoute({ v1: 80, v3: 20 }).spec);
  });

  it("requires a resourceVersion on PUT, as it does for every custom resource", async () => {
    await kubectl(fake, "POST", VS_PATH, reviewsRoute({ v1: 90, v3: 10 }));

    const answer = await kubectl(fake, "PUT", `${VS_PATH}/reviews`, reviewsRoute({ v1: 0, v3: 100 }));

    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      reason: "Invalid",
      message: expect.stringContaining("metadata.resourceVersion"),
    });
  });

  it("rejects an apply without fieldManager and an object without spec or with the wrong kind, with 422 Invalid", async () => {
    const noManager = await kubectl(fake, "PATCH", `${DR_PATH}/reviews`, reviewsRule(), APPLY);
    const { spec: _spec, ...specless } = reviewsRule();
    const noSpec = await kubectl(fake, "PATCH", `${DR_PATH}/reviews?fieldManager=me`, specless, APPLY);
    const wrongKind = await kubectl(fake, "POST", DR_PATH, { ...reviewsRule(), kind: "VirtualService" });

    expect(noManager.status).toBe(422);
    expect(noSpec.body).toMatchObject({
      code: 422,
      message: 'DestinationRule.networking.istio.io "reviews" is invalid: spec: Required value',
      details: { causes: [{ reason: "FieldValueRequired", field: "spec" }] },
    });
    expect(wrongKind.status).toBe(422);
    expect(fake.get("destinationrules", "bookinfo", "reviews")).toBeUndefined();
  });

  it("runs dryRun=All writes through every check without storing them or using up a resourceVersion", async () => {
    const dry = await kubectl(fake, "PATCH", `${DR_PATH}/reviews?fieldManager=me&dryRun=All`, reviewsRule(), APPLY);
    const real = await kubectl(fake, "PATCH", `${DR_PATH}/reviews?fieldManager=me`, reviewsRule(), APPLY);
    const dryDelete = await kubectl(fake, "DELETE", `${DR_PATH}/reviews?dryRun=All`);

    expect(dry.status).toBe(201);
    expect(resourceVersionOf(real.body)).toBe(resourceVersionOf(dry.body));
    expect(dryDelete.status).toBe(200);
    expect(fake.get("destinationrules", "bookinfo", "reviews")).toBeDefined();
  });

  it("tracks field managers: an apply changing another manager's field conflicts unless forced, an equal value is shared", async () => {
    await kubectl(fake, "PATCH", `${VS_PATH}/reviews?fieldManager=gitops`, reviewsRoute({ v1: 100, v3: 0 }), APPLY);

    const same = await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews?fieldManager=me`,
      reviewsRoute({ v1: 100, v3: 0 }),
      APPLY,
    );
    const changed = await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews?fieldManager=me`,
      reviewsRoute({ v1: 50, v3: 50 }),
      APPLY,
    );
    const forced = await kubectl(
      fake,
      "PATCH",
      `${VS_PATH}/reviews?fieldManager=me&force=true`,
      reviewsRoute({ v1: 50, v3: 50 }),
      APPLY,
    );

    expect(same.status).toBe(200);
    expect(changed).toMatchObject({
      status: 409,
      body: {
        reason: "Conflict",
        message: 'Apply failed with 1 conflict: conflict with "gitops" using networking.istio.io/v1: .spec.http',
        details: { causes: [{ reason: "FieldManagerConflict", field: ".spec.http" }] },
      },
    });
    expect(forced.status).toBe(200);
    expect(fake.get("virtualservices", "bookinfo", "reviews")?.spec).toEqual(reviewsRoute({ v1: 50, v3: 50 }).spec);
  });

  it("does not bump the resourceVersion for an apply that changes nothing, and counts a merge patch as an update", async () => {
    const first = await kubectl(fake, "PATCH", `${DR_PATH}/reviews?fieldManager=me`, reviewsRule(), APPLY);
    const again = await kubectl(fake, "PATCH", `${DR_PATH}/reviews?fieldManager=me`, reviewsRule(), APPLY);
    const edited = await kubectl(
      fake,
      "PATCH",
      `${DR_PATH}/reviews`,
      { spec: { host: "reviews.bookinfo.svc.cluster.local" } },
      MERGE,
    );

    expect(resourceVersionOf(again.body)).toBe(resourceVersionOf(first.body));
    expect(edited.status).toBe(200);
    expect(fake.get("destinationrules", "bookinfo", "reviews")?.metadata).toMatchObject({
      managedFields: [
        { manager: "me", operation: "Apply", fieldsV1: { "f:spec": { "f:subsets": {} } } },
        { manager: "kubectl", operation: "Update", fieldsV1: { "f:spec": { "f:host": {} } } },
      ],
    });
  });
});
