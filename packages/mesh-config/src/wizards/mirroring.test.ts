import { describe, expect, it } from "vitest";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";

describe("the mirroring wizard", () => {
  it("routes everything to the primary version and mirrors a share to another", () => {
    const body = { ...target, version: "v1", mirror: { version: "v3" }, percentage: { value: 20 } };
    expect(build("mirroring", body)).toEqual([
      {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("mirroring") },
        spec: {
          host: "reviews",
          subsets: [
            { name: "v1", labels: { version: "v1" } },
            { name: "v3", labels: { version: "v3" } },
          ],
        },
      },
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("mirroring") },
        spec: {
          hosts: ["reviews"],
          http: [
            {
              route: [{ destination: { host: "reviews", subset: "v1" } }],
              mirror: { host: "reviews", subset: "v3" },
              mirrorPercentage: { value: 20 },
            },
          ],
        },
      },
    ]);
  });

  it("keeps the existing routes when no primary version is given, mirroring from each of them", () => {
    const routing = build("request-routing", {
      ...target,
      rules: [{ match: { headers: { "end-user": { exact: "jason" } } }, version: "v2" }],
      defaultVersion: "v1",
    });
    const objects = build(
      "mirroring",
      { ...target, mirror: { version: "v3" }, percentage: { value: 100 } },
      bookinfo(routing),
    );
    // v3 is added to the DestinationRule request routing wrote, which is applied first.
    expect(objects.map((o) => o.kind)).toEqual(["DestinationRule", "VirtualService"]);
    const vs = objects[1];
    expect(
      vs?.kind === "VirtualService" && vs.spec.http?.map((r) => [r.route?.[0]?.destination.subset, r.mirror]),
    ).toEqual([
      ["v2", { host: "reviews", subset: "v3" }],
      ["v1", { host: "reviews", subset: "v3" }],
    ]);
  });

  it("refuses to mirror to a version that some route already sends traffic to", () => {
    const canary = build("traffic-shifting", {
      ...target,
      weights: [
        { version: "v1", weight: 90 },
        { version: "v3", weight: 10 },
      ],
    });
    const body = { ...target, mirror: { version: "v3" }, percentage: { value: 10 } };
    expect(problems("mirroring", body, bookinfo(canary))).toEqual([
      {
        path: "mirror.version",
        message: "v3 already receives traffic from route spec.http[0]: mirror a version that is not routed",
      },
    ]);
  });

  it("refuses the primary version as its own mirror", () => {
    const body = { ...target, version: "v1", mirror: { version: "v1" }, percentage: { value: 10 } };
    expect(problems("mirroring", body)).toEqual([
      { path: "mirror.version", message: "the mirror must be another version than the one that serves the traffic" },
    ]);
  });
});
