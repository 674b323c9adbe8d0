import type { MeshObjectEntry } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { objectsForService } from "./service-objects";

function entry(kind: string, namespace: string, name: string, spec: Record<string, unknown>): MeshObjectEntry {
  return {
    ref: { kind, namespace, name },
    object: { apiVersion: "networking.istio.io/v1", kind, metadata: { name, namespace }, spec },
    yaml: "",
    source: `${namespace}/${kind.toLowerCase()}-${name}.yaml`,
    managed: false,
    wizard: null,
    validation: [],
  };
}

const OBJECTS = [
  entry("VirtualService", "bookinfo", "reviews", { hosts: ["reviews"] }),
  entry("VirtualService", "other", "reviews-from-other", { hosts: ["reviews.bookinfo.svc.cluster.local"] }),
  entry("VirtualService", "other", "short-name-elsewhere", { hosts: ["reviews"] }),
  entry("DestinationRule", "bookinfo", "reviews", { host: "reviews.bookinfo" }),
  entry("DestinationRule", "bookinfo", "ratings", { host: "ratings" }),
  entry("AuthorizationPolicy", "bookinfo", "reviews-viewer", { selector: { matchLabels: { app: "reviews" } } }),
  entry("AuthorizationPolicy", "bookinfo", "ratings-viewer", { selector: { matchLabels: { app: "ratings" } } }),
  entry("PeerAuthentication", "bookinfo", "default", { mtls: { mode: "STRICT" } }),
];

describe("objects that apply to a service", () => {
  it("picks routes and rules for its host, however the host is written, and policies selecting it", () => {
    const names = objectsForService(OBJECTS, "bookinfo", "reviews").map((o) => `${o.ref.kind}/${o.ref.name}`);
    expect(names).toEqual([
      "VirtualService/reviews",
      "VirtualService/reviews-from-other",
      "DestinationRule/reviews",
      "AuthorizationPolicy/reviews-viewer",
      "PeerAuthentication/default",
    ]);
  });

  it("reads a short host in another namespace as that namespace's service", () => {
    expect(objectsForService(OBJECTS, "other", "reviews").map((o) => o.ref.name)).toEqual(["short-name-elsewhere"]);
  });
});
