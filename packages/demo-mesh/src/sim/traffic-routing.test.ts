import { describe, expect, it } from "vitest";
import { DESTINATION_RULE_ALL, VIRTUAL_SERVICE_REVIEWS_TEST_V2 } from "./bookinfo-samples.testing.js";
import { run, share } from "./capture.testing.js";

const REVIEWS_90_V1_10_V3 = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v3}
      weight: 10
`;

const versionOf = (r: { labels: { destination_version: string } }) => r.labels.destination_version;

describe("routing", () => {
  it("spreads reviews about evenly over v1, v2 and v3 when no VirtualService exists", () => {
    const reviews = run({ rps: 100, seconds: 30 }).edge("destination", "productpage-v1", "reviews");
    expect(reviews.length).toBeGreaterThan(2500);
    for (const v of ["v1", "v2", "v3"]) expect(share(reviews, (r) => versionOf(r) === v)).toBeCloseTo(1 / 3, 1);
  });

  it("splits reviews 90/10 between the v1 and v3 subsets within 2 points", () => {
    const c = run({ yaml: [REVIEWS_90_V1_10_V3, DESTINATION_RULE_ALL], rps: 200, seconds: 30 });
    const reviews = c.edge("destination", "productpage-v1", "reviews");
    expect(reviews.length).toBeGreaterThan(5000);
    expect(Math.abs(share(reviews, (r) => versionOf(r) === "v1") - 0.9)).toBeLessThan(0.02);
    expect(Math.abs(share(reviews, (r) => versionOf(r) === "v3") - 0.1)).toBeLessThan(0.02);
    expect(reviews.some((r) => versionOf(r) === "v2")).toBe(false);
    // reviews-v1 calls nobody, so only the v3 share of traffic reaches ratings.
    const ratings = c.edge("source", "reviews-v2", "ratings");
    expect(ratings).toHaveLength(0);
  });

  it("answers 503 NC, reported only by the source, when the subset is defined in no DestinationRule", () => {
    const c = run({ yaml: REVIEWS_90_V1_10_V3, seconds: 10 });
    const source = c.edge("source", "productpage-v1", "reviews");
    expect(source.length).toBeGreaterThan(100);
    for (const r of source) {
      expect(r.labels.response_code).toBe("503");
      expect(r.labels.response_flags).toBe("NC");
      expect(r.labels.destination_workload).toBe("unknown");
      expect(r.labels.destination_service).toBe("reviews.bookinfo.svc.cluster.local");
    }
    expect(c.edge("destination", "productpage-v1", "reviews")).toHaveLength(0);
    // Bookinfo's productpage shows an error box and still answers 200.
    expect(
      share(c.edge("source", "istio-ingressgateway", "productpage"), (r) => r.labels.response_code === "200"),
    ).toBeGreaterThan(0.98);
  });

  it("routes only logged-in jason to reviews v2 with the end-user header match", () => {
    const yaml = [VIRTUAL_SERVICE_REVIEWS_TEST_V2, DESTINATION_RULE_ALL];
    const anonymous = run({ yaml, loggedInShare: 0, seconds: 10 }).edge("destination", "productpage-v1", "reviews");
    expect(anonymous.length).toBeGreaterThan(300);
    expect(anonymous.every((r) => versionOf(r) === "v1")).toBe(true);
    // Everyone logged in: jason is 2 of the 5 demo users, the others keep going to v1.
    const loggedIn = run({ yaml, loggedInShare: 1, rps: 100, seconds: 20 }).edge(
      "destination",
      "productpage-v1",
      "reviews",
    );
    expect(share(loggedIn, (r) => versionOf(r) === "v2")).toBeCloseTo(0.4, 1);
    expect(share(loggedIn, (r) => versionOf(r) === "v1")).toBeCloseTo(0.6, 1);
    expect(loggedIn.some((r) => versionOf(r) === "v3")).toBe(false);
  });

  it("returns 404 NR when a VirtualService applies but none of its routes matches", () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: details}
spec:
  hosts: [details]
  http:
  - match: [{uri: {prefix: /nothing}}]
    route: [{destination: {host: details}}]
`;
    const source = run({ yaml, seconds: 5 }).edge("source", "productpage-v1", "details");
    expect(source.length).toBeGreaterThan(50);
    expect(source.every((r) => r.labels.response_code === "404" && r.labels.response_flags === "NR")).toBe(true);
  });

  it("counts mirrored copies on the mirror edge from the destination, while the caller only sees the primary", () => {
    const yaml = `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews, subset: v1}}]
    mirror: {host: reviews, subset: v2}
    mirrorPercentage: {value: 50}
`;
    const c = run({ yaml: [yaml, DESTINATION_RULE_ALL], rps: 100, seconds: 20 });
    const source = c.edge("source", "productpage-v1", "reviews");
    expect(source.every((r) => r.labels.destination_workload === "reviews-v1")).toBe(true);
    const dest = c.edge("destination", "productpage-v1", "reviews");
    const mirrored = dest.filter((r) => r.labels.destination_workload === "reviews-v2").length;
    const primary = dest.filter((r) => r.labels.destination_workload === "reviews-v1").length;
    expect(mirrored / primary).toBeGreaterThan(0.45);
    expect(mirrored / primary).toBeLessThan(0.55);
    // The shadow's own work is real: reviews-v2 calls ratings for the mirrored requests.
    expect(c.edge("destination", "reviews-v2", "ratings").length).toBe(mirrored);
  });
});
