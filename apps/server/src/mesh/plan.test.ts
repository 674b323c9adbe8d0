import type { MeshObject } from "@meshscope/mesh-config";
import { describe, expect, it } from "vitest";
import { planChanges } from "./plan.js";

const managed = { "app.kubernetes.io/managed-by": "meshscope" };

function vs(name: string, subset: string, labels?: Record<string, string>): MeshObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name, namespace: "bookinfo", ...(labels ? { labels } : {}) },
    spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset } }] }] },
  };
}

function dr(name: string, labels?: Record<string, string>): MeshObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name, namespace: "bookinfo", ...(labels ? { labels } : {}) },
    spec: { host: name, subsets: [{ name: "v1", labels: { version: "v1" } }] },
  };
}

const ref = (o: MeshObject) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });
const stored = (object: MeshObject) => ({ object, source: "bookinfo/x.yaml" });

describe("planning a change", () => {
  it("writes DestinationRules before the VirtualServices that route to their subsets", () => {
    const plan = planChanges(
      [],
      [vs("reviews", "v1"), dr("reviews")].map((o) => ({ ref: ref(o), object: o })),
    );
    expect(plan.writes.map((w) => (w.action === "upsert" ? w.object.kind : w.ref.kind))).toEqual([
      "DestinationRule",
      "VirtualService",
    ]);
    expect(plan.changes.map((c) => c.action)).toEqual(["create", "create"]);
  });

  it("deletes VirtualServices before the DestinationRules they route to, after every upsert", () => {
    const current = [stored(vs("reviews", "v1", managed)), stored(dr("reviews", managed))];
    const plan = planChanges(current, [
      { ref: ref(dr("reviews")), object: null },
      { ref: ref(vs("reviews", "v1")), object: null },
      { ref: ref(vs("ratings", "v1")), object: vs("ratings", "v1") },
    ]);
    expect(plan.writes.map((w) => `${w.action} ${w.action === "upsert" ? w.object.kind : w.ref.kind}`)).toEqual([
      "upsert VirtualService",
      "delete VirtualService",
      "delete DestinationRule",
    ]);
  });

  it("leaves out objects that do not change and names the unmanaged ones it would overwrite", () => {
    const current = [stored(vs("reviews", "v1")), stored(dr("reviews", managed))];
    const plan = planChanges(current, [
      { ref: ref(dr("reviews")), object: dr("reviews", managed) },
      { ref: ref(vs("reviews", "v1")), object: vs("reviews", "v2", managed) },
    ]);
    expect(plan.changes.map((c) => [c.ref.kind, c.action, c.unmanaged])).toEqual([["VirtualService", "update", true]]);
    expect(plan.unmanaged).toEqual([ref(vs("reviews", "v1"))]);
    expect(plan.diff).toContain("subset: v2");
  });
});
