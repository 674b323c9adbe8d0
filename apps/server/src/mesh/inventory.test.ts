import { describe, expect, it } from "vitest";
import type { EdgeTraffic, MetricReader } from "../metrics/metric-reader.js";
import { tableOfRows } from "../metrics/traffic-accumulator.js";
import { bookinfo } from "../test-support/graph-traffic.js";
import { readInventory } from "./inventory.js";

function reader(edges: EdgeTraffic[]): MetricReader {
  return { edgeTraffic: () => edges, edgeTrafficTable: () => tableOfRows(edges), seriesOverTime: () => [] };
}

describe("the inventory from Istio metrics", () => {
  it("knows each service, its versions and the workloads with their app and version labels", () => {
    const inventory = readInventory(reader(bookinfo()), Date.now());
    expect(inventory?.services.map((s) => `${s.namespace}/${s.name}`).sort()).toEqual([
      "bookinfo/details",
      "bookinfo/productpage",
      "bookinfo/ratings",
      "bookinfo/reviews",
    ]);
    expect(inventory?.versions.get("bookinfo/reviews")).toEqual([
      { version: "v1", labels: { version: "v1" } },
      { version: "v2", labels: { version: "v2" } },
      { version: "v3", labels: { version: "v3" } },
    ]);
    expect(inventory?.workloads).toContainEqual({
      namespace: "bookinfo",
      name: "reviews-v2",
      labels: { app: "reviews", version: "v2" },
    });
  });

  it("knows nothing, rather than an empty mesh, when no traffic was seen", () => {
    expect(readInventory(reader([]), Date.now())).toBeNull();
  });
});
