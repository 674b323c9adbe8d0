import { describe, expect, it } from "vitest";
import { servicePagePath } from "./service-link";
import { span } from "./test-spans.test-support";

describe("link from a span to its service page", () => {
  it("uses the namespace the server resolved", () => {
    expect(servicePagePath(span("a", null, 0, 1, { service: "reviews", namespace: "bookinfo" }))).toBe(
      "/services/bookinfo/reviews",
    );
  });

  it("falls back to the resource's service.namespace", () => {
    const s = span("a", null, 0, 1, { service: "cart", resource: { "service.namespace": "shop" } });
    expect(servicePagePath(s)).toBe("/services/shop/cart");
  });

  it("reads Istio's <service>.<namespace> span naming, with or without the namespace in the resource", () => {
    expect(servicePagePath(span("a", null, 0, 1, { service: "ratings.bookinfo" }))).toBe("/services/bookinfo/ratings");
    const sidecar = span("a", null, 0, 1, { service: "istio-ingressgateway.istio-system", namespace: "istio-system" });
    expect(servicePagePath(sidecar)).toBe("/services/istio-system/istio-ingressgateway");
  });

  it("has no link when the namespace is unknown, and escapes odd names", () => {
    expect(servicePagePath(span("a", null, 0, 1, { service: "lonely" }))).toBeNull();
    expect(servicePagePath(span("a", null, 0, 1, { service: "a/b", namespace: "x?y" }))).toBe("/services/x%3Fy/a%2Fb");
  });
});
