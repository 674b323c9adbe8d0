import { describe, expect, it } from "vitest";
import type { DestinationRule } from "../objects.js";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";
import type { WizardContext } from "./types.js";

const weights = [
  { version: "v1", weight: 90 },
  { version: "v3", weight: 10 },
];

describe("the traffic-shifting wizard", () => {
  it("writes a DestinationRule with a subset per version, then a VirtualService splitting by weight", () => {
    expect(build("traffic-shifting", { ...target, weights })).toEqual([
      {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("traffic-shifting") },
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
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("traffic-shifting") },
        spec: {
          hosts: ["reviews"],
          http: [
            {
              route: [
                { destination: { host: "reviews", subset: "v1" }, weight: 90 },
                { destination: { host: "reviews", subset: "v3" }, weight: 10 },
              ],
            },
          ],
        },
      },
    ]);
  });

  it("takes subset labels from the versions seen in traffic", () => {
    const context: WizardContext = {
      existing: [],
      versions: [
        { version: "v1", labels: { app: "reviews", "app.kubernetes.io/version": "v1" } },
        { version: "1.0", labels: {} },
      ],
    };
    const body = {
      ...target,
      weights: [
        { version: "v1", weight: 50 },
        { version: "1.0", weight: 50 },
      ],
    };
    const [dr, vs] = build("traffic-shifting", body, context);
    expect(dr?.kind === "DestinationRule" && dr.spec.subsets).toEqual([
      { name: "v1", labels: { app: "reviews", "app.kubernetes.io/version": "v1" } },
      // Subset names must be DNS-1123 labels; a version without known labels is selected by `version`.
      { name: "1-0", labels: { version: "1.0" } },
    ]);
    expect(vs?.kind === "VirtualService" && vs.spec.http?.[0]?.route?.[1]?.destination.subset).toBe("1-0");
  });

  it("mirrors a version that gets no weight, with the mirror percentage", () => {
    const body = {
      ...target,
      weights: [...weights.map((w) => ({ ...w, weight: w.version === "v1" ? 100 : 0 })), { version: "v2", weight: 0 }],
      mirror: { version: "v2", percentage: { value: 25 } },
    };
    const [, vs] = build("traffic-shifting", body);
    expect(vs?.kind === "VirtualService" && vs.spec.http).toEqual([
      {
        route: [
          { destination: { host: "reviews", subset: "v1" }, weight: 100 },
          { destination: { host: "reviews", subset: "v3" }, weight: 0 },
        ],
        mirror: { host: "reviews", subset: "v2" },
        mirrorPercentage: { value: 25 },
      },
    ]);
  });

  it("reuses the subsets of Istio's destination-rule-all.yaml and leaves that DestinationRule alone", () => {
    const bookinfoRule: DestinationRule = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews", namespace: "bookinfo" },
      spec: {
        host: "reviews",
        subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })),
      },
    };
    const objects = build("traffic-shifting", { ...target, weights }, bookinfo([bookinfoRule]));
    expect(objects.map((o) => o.kind)).toEqual(["VirtualService"]);
  });

  it("finds an existing subset by its labels when it has another name", () => {
    const rule: DestinationRule = {
      apiVersion: "networking.istio.io/v1",
      kind: "DestinationRule",
      metadata: { name: "reviews-subsets", namespace: "bookinfo" },
      spec: { host: "reviews.bookinfo.svc.cluster.local", subsets: [{ name: "stable", labels: { version: "v1" } }] },
    };
    const [dr, vs] = build("traffic-shifting", { ...target, weights }, bookinfo([rule]));
    expect(dr?.metadata.name).toBe("reviews-subsets");
    expect(dr?.kind === "DestinationRule" && dr.spec.subsets?.map((s) => s.name)).toEqual(["stable", "v3"]);
    expect(vs?.kind === "VirtualService" && vs.spec.http?.[0]?.route?.map((r) => r.destination.subset)).toEqual([
      "stable",
      "v3",
    ]);
  });

  it("refuses a version the service does not have, naming the known ones", () => {
    const body = {
      ...target,
      weights: [
        { version: "v1", weight: 50 },
        { version: "v9", weight: 50 },
      ],
    };
    expect(problems("traffic-shifting", body)).toEqual([
      { path: "weights[1].version", message: 'reviews has no version "v9" (known versions: v1, v2, v3)' },
    ]);
  });

  it("refuses weights that do not sum to exactly 100", () => {
    const body = {
      ...target,
      weights: [
        { version: "v1", weight: 90 },
        { version: "v2", weight: 20 },
      ],
    };
    expect(problems("traffic-shifting", body)).toEqual([
      { path: "weights", message: "weights must sum to exactly 100, not 110" },
    ]);
  });

  it("refuses to mirror a version that also receives weighted traffic", () => {
    const body = { ...target, weights, mirror: { version: "v3" } };
    expect(problems("traffic-shifting", body)).toEqual([
      {
        path: "mirror.version",
        message: "v3 already receives 10% of the traffic: mirror a version that is not routed",
      },
    ]);
  });

  it("refuses fractional weights", () => {
    const body = {
      ...target,
      weights: [
        { version: "v1", weight: 49.5 },
        { version: "v2", weight: 50.5 },
      ],
    };
    expect(problems("traffic-shifting", body)).toEqual([
      { path: "weights[0].weight", message: "must be a whole number" },
      { path: "weights[1].weight", message: "must be a whole number" },
    ]);
  });

  it("refuses a version listed twice", () => {
    const body = {
      ...target,
      weights: [
        { version: "v1", weight: 50 },
        { version: "v1", weight: 50 },
      ],
    };
    expect(problems("traffic-shifting", body)).toEqual([
      { path: "weights[1].version", message: "each version may appear once" },
    ]);
  });
});
