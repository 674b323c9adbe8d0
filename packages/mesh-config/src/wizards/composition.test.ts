// Wizards compose: each updates the service's VirtualService and DestinationRule instead of replacing them.
import { describe, expect, it } from "vitest";
import type { DestinationRule, MeshObject, VirtualService } from "../objects.js";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";
import { isManaged, wizardOf } from "./metadata.js";

const canary = {
  ...target,
  weights: [
    { version: "v1", weight: 80 },
    { version: "v3", weight: 20 },
  ],
};
const delay = { ...target, delay: { percentage: { value: 100 }, fixedDelay: "7s" } };

/** The existing set after applying `objects` (same kind/namespace/name replaces), as the server would store it. */
function applied(existing: MeshObject[], objects: MeshObject[]): MeshObject[] {
  const key = (o: MeshObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
  const replaced = new Set(objects.map(key));
  return [...existing.filter((o) => !replaced.has(key(o))), ...objects];
}

function virtualService(objects: MeshObject[]): VirtualService {
  const vs = objects.find((o): o is VirtualService => o.kind === "VirtualService");
  if (vs === undefined) return expect.fail("no VirtualService");
  return vs;
}

describe("wizards applied one after another", () => {
  it("fault injection on a canary keeps the weighted routes and adds the fault to them", () => {
    const mesh = applied([], build("traffic-shifting", canary));
    const objects = build("fault-injection", delay, bookinfo(mesh));
    expect(objects.map((o) => o.kind)).toEqual(["VirtualService"]);
    expect(virtualService(objects).spec.http).toEqual([
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: 80 },
          { destination: { host: "reviews", subset: "v3" }, weight: 20 },
        ],
        fault: { delay: { percentage: { value: 100 }, fixedDelay: "7s" } },
      },
    ]);
    expect(virtualService(objects).metadata.labels).toEqual(MANAGED("fault-injection"));
  });

  it("a canary after fault injection keeps the fault, timeout and retries of the default route", () => {
    let mesh = applied([], build("fault-injection", delay));
    mesh = applied(
      mesh,
      build("timeouts-retries", { ...target, timeout: "1s", retries: { attempts: 2 } }, bookinfo(mesh)),
    );
    const objects = build("traffic-shifting", canary, bookinfo(mesh));
    expect(objects.map((o) => o.kind)).toEqual(["DestinationRule", "VirtualService"]);
    expect(virtualService(objects).spec.http).toEqual([
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: 80 },
          { destination: { host: "reviews", subset: "v3" }, weight: 20 },
        ],
        fault: { delay: { percentage: { value: 100 }, fixedDelay: "7s" } },
        timeout: "1s",
        retries: { attempts: 2 },
      },
    ]);
  });

  it("applies route-level features to every route when the VirtualService has several", () => {
    const mesh = applied(
      [],
      build("request-routing", {
        ...target,
        rules: [{ match: { headers: { "end-user": { exact: "jason" } } }, version: "v2" }],
        defaultVersion: "v1",
      }),
    );
    const http = virtualService(build("fault-injection", delay, bookinfo(mesh))).spec.http ?? [];
    expect(http).toHaveLength(2);
    expect(http.map((r) => r.fault?.delay?.fixedDelay)).toEqual(["7s", "7s"]);
    expect(http[0]?.match).toEqual([{ headers: { "end-user": { exact: "jason" } } }]);
  });

  it("the circuit breaker keeps the canary's subsets, and a later canary keeps the breaker", () => {
    let mesh = applied([], build("traffic-shifting", canary));
    const [breaker] = build(
      "circuit-breaker",
      { ...target, connectionPool: { tcp: { maxConnections: 1 } } },
      bookinfo(mesh),
    );
    expect(breaker?.kind === "DestinationRule" && breaker.spec).toEqual({
      host: "reviews",
      subsets: [
        { name: "v1", labels: { version: "v1" } },
        { name: "v3", labels: { version: "v3" } },
      ],
      trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } },
    });
    mesh = applied(mesh, breaker === undefined ? [] : [breaker]);
    const [dr] = build("traffic-shifting", { ...canary, weights: [{ version: "v2", weight: 100 }] }, bookinfo(mesh));
    expect(dr?.kind === "DestinationRule" && dr.spec.trafficPolicy).toEqual({
      connectionPool: { tcp: { maxConnections: 1 } },
    });
    expect(dr?.kind === "DestinationRule" && dr.spec.subsets?.map((s) => s.name)).toEqual(["v1", "v3", "v2"]);
  });

  it("updates a VirtualService someone else wrote, keeping its name, hosts, labels and resourceVersion", () => {
    const handWritten: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: {
        name: "reviews-route",
        namespace: "bookinfo",
        labels: { team: "books" },
        annotations: { note: "from Istio's samples" },
        resourceVersion: "12",
      },
      spec: {
        hosts: ["reviews.bookinfo.svc.cluster.local"],
        http: [{ route: [{ destination: { host: "reviews.bookinfo.svc.cluster.local", subset: "v1" } }] }],
      },
    };
    const rule: DestinationRule = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews", namespace: "bookinfo" },
      spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] },
    };
    const vs = virtualService(build("fault-injection", delay, bookinfo([handWritten, rule])));
    expect(isManaged(handWritten)).toBe(false);
    expect(vs.metadata).toEqual({
      ...handWritten.metadata,
      labels: { team: "books", ...MANAGED("fault-injection") },
    });
    expect(vs.spec.hosts).toEqual(["reviews.bookinfo.svc.cluster.local"]);
    expect(vs.spec.http?.[0]?.route).toEqual(handWritten.spec.http?.[0]?.route);
    expect(wizardOf(vs)).toBe("fault-injection");
  });

  it("does not take a VirtualService bound only to an ingress gateway for the service's mesh routes", () => {
    const ingress: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews-ingress", namespace: "bookinfo" },
      spec: {
        hosts: ["reviews"],
        gateways: ["bookinfo-gateway"],
        http: [{ route: [{ destination: { host: "reviews" } }] }],
      },
    };
    const vs = virtualService(build("fault-injection", delay, bookinfo([ingress])));
    expect(vs.metadata.name).toBe("reviews");
  });

  it("refuses to overwrite an object named after the service that routes another host", () => {
    const other: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews", namespace: "bookinfo" },
      spec: { hosts: ["ratings"], http: [{ route: [{ destination: { host: "ratings" } }] }] },
    };
    expect(problems("fault-injection", delay, bookinfo([other]))).toEqual([
      {
        path: "service",
        message: "VirtualService bookinfo/reviews exists but routes other hosts (ratings); rename it first",
      },
    ]);
  });
});

describe("ownership labels", () => {
  it("name the latest wizard of a managed object and nothing for other objects", () => {
    const [vs] = build("fault-injection", delay);
    if (vs === undefined) return expect.fail("no object");
    expect(isManaged(vs)).toBe(true);
    expect(wizardOf(vs)).toBe("fault-injection");
    const foreign = { metadata: { name: "x", namespace: "y", labels: { "meshscope.io/wizard": "mtls" } } };
    expect(wizardOf(foreign)).toBeNull();
    const unknown = { metadata: { ...vs.metadata, labels: { ...vs.metadata.labels, "meshscope.io/wizard": "magic" } } };
    expect(wizardOf(unknown)).toBeNull();
  });
});
