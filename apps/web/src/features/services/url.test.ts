import type { ServiceSummary } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { readSort, serviceDetailPath, sortServices, writeSort } from "./url";

function svc(name: string, patch: Partial<ServiceSummary> = {}): ServiceSummary {
  return {
    name,
    namespace: "ns",
    source: "mesh",
    health: "healthy",
    inboundRps: 1,
    errorRate: 0,
    p95Ms: 10,
    versions: [],
    workloads: [],
    ...patch,
  };
}

describe("services URL state", () => {
  it("encodes hostile names into the path instead of letting them change it", () => {
    expect(serviceDetailPath("bookinfo", "<img src=x onerror=alert(1)>/..")).toBe(
      "/services/bookinfo/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%2F..",
    );
    expect(serviceDetailPath(null, "cart")).toBe("/services/-/cart");
  });

  it("round-trips the sort order and leaves the default out", () => {
    const params = writeSort(new URLSearchParams("window=60"), { key: "errors", descending: true });
    expect(params.toString()).toBe("window=60&sort=-errors");
    expect(readSort(params)).toEqual({ key: "errors", descending: true });
    expect(writeSort(params, { key: "name", descending: false }).toString()).toBe("window=60");
    expect(readSort(new URLSearchParams("sort=bogus"))).toEqual({ key: "name", descending: false });
  });

  it("sorts the worst health first and breaks ties by name", () => {
    const list = [svc("b"), svc("c", { health: "failure" }), svc("a"), svc("d", { health: "idle" })];
    const sorted = sortServices(list, { key: "health", descending: true }).map((s) => s.name);
    expect(sorted).toEqual(["c", "a", "b", "d"]);
  });

  it("puts services without latency after every service with one", () => {
    const list = [svc("a", { p95Ms: null }), svc("b", { p95Ms: 3 })];
    expect(sortServices(list, { key: "p95", descending: true }).map((s) => s.name)).toEqual(["b", "a"]);
  });
});
