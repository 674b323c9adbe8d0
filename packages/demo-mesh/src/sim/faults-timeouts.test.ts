import { describe, expect, it } from "vitest";
import { bookinfoTopology } from "./bookinfo.js";
import {
  DESTINATION_RULE_ALL,
  VIRTUAL_SERVICE_RATINGS_TEST_DELAY,
  VIRTUAL_SERVICE_REVIEWS_TEST_V2,
} from "./bookinfo-samples.testing.js";
import { run, share } from "./capture.testing.js";
import type { Topology } from "./contracts.js";

/** Bookinfo with ratings-v1 changed (slower, flakier) to give timeouts and retries something to act on. */
function withRatings(change: { medianMs?: number; p99Ms?: number; errorRate?: number }): Topology {
  const t = bookinfoTopology();
  return {
    ...t,
    workloads: t.workloads.map((w) =>
      w.name === "ratings-v1"
        ? {
            ...w,
            latency: { medianMs: change.medianMs ?? w.latency.medianMs, p99Ms: change.p99Ms ?? w.latency.p99Ms },
            errorRate: change.errorRate ?? w.errorRate,
          }
        : w,
    ),
  };
}

const ratingsVs = (http: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings}
spec:
  hosts: [ratings]
  http:
${http}`;

const toRatings = (c: ReturnType<typeof run>, reporter: "source" | "destination") => [
  ...c.edge(reporter, "reviews-v2", "ratings"),
  ...c.edge(reporter, "reviews-v3", "ratings"),
];

describe("fault injection", () => {
  it("aborts half of the ratings requests with 500 FI, which never reach ratings", () => {
    const yaml = ratingsVs(`
  - fault:
      abort: {percentage: {value: 50}, httpStatus: 500}
    route: [{destination: {host: ratings, subset: v1}}]`);
    const c = run({ yaml: [yaml, DESTINATION_RULE_ALL], rps: 100, seconds: 30 });
    const source = toRatings(c, "source");
    expect(source.length).toBeGreaterThan(1500);
    const aborted = source.filter((r) => r.labels.response_flags === "FI");
    expect(Math.abs(aborted.length / source.length - 0.5)).toBeLessThan(0.05);
    for (const r of aborted) {
      expect(r.labels.response_code).toBe("500");
      expect(r.labels.destination_workload).toBe("unknown");
      expect(r.durationMs).toBeLessThan(1);
    }
    expect(toRatings(c, "destination").length).toBe(source.length - aborted.length);
    // reviews shows "Ratings service is currently unavailable" and still answers 200.
    expect(
      share(c.edge("source", "productpage-v1", "reviews"), (r) => r.labels.response_code === "200"),
    ).toBeGreaterThan(0.98);
  });

  it("delays matched requests by the fixed delay with flag DI", () => {
    const yaml = ratingsVs(`
  - fault:
      delay: {percentage: {value: 100}, fixedDelay: 1s}
    route: [{destination: {host: ratings}}]`);
    const source = toRatings(run({ yaml, seconds: 10 }), "source");
    expect(source.length).toBeGreaterThan(100);
    for (const r of source) {
      expect(r.labels.response_flags).toBe("DI");
      expect(r.durationMs).toBeGreaterThan(1000);
    }
    // The delay changes no outcome: only ratings' own small error rate shows.
    expect(share(source, (r) => r.labels.response_code === "200")).toBeGreaterThan(0.97);
  });

  it("reproduces Bookinfo's bug: jason's 7 s ratings delay outlasts productpage's 3 s timeout and one retry", () => {
    const c = run({
      yaml: [VIRTUAL_SERVICE_REVIEWS_TEST_V2, VIRTUAL_SERVICE_RATINGS_TEST_DELAY, DESTINATION_RULE_ALL],
      loggedInShare: 1,
      seconds: 30,
    });
    const toV2 = c
      .edge("source", "productpage-v1", "reviews")
      .filter((r) => r.labels.destination_workload === "reviews-v2");
    expect(toV2.length).toBeGreaterThan(50);
    // productpage gives up at 3 s and resets the stream: no response code, flag DC on the client side…
    for (const r of toV2) {
      expect(r.labels.response_code).toBe("0");
      expect(r.labels.response_flags).toBe("DC");
      expect(r.durationMs).toBeCloseTo(3000, 0);
    }
    // …while reviews-v2 (10 s timeout) waits for ratings, which answers after the delay.
    const delayed = c.edge("source", "reviews-v2", "ratings");
    expect(delayed.every((r) => r.labels.response_flags === "DI" && r.durationMs >= 7000)).toBe(true);
    expect(share(delayed, (r) => r.labels.response_code === "200")).toBeGreaterThan(0.97);
  });
});

describe("timeouts and retries", () => {
  const slowRatings = withRatings({ medianMs: 400, p99Ms: 900 });

  it("answers 504 UT at the route timeout while ratings finishes and logs the reset", () => {
    const yaml = ratingsVs(`
  - timeout: 100ms
    route: [{destination: {host: ratings}}]`);
    const c = run({ yaml, topology: slowRatings, seconds: 10 });
    const source = toRatings(c, "source");
    expect(source.length).toBeGreaterThan(100);
    const timedOut = source.filter((r) => r.labels.response_flags === "UT");
    expect(timedOut.length / source.length).toBeGreaterThan(0.9);
    for (const r of timedOut) {
      expect(r.labels.response_code).toBe("504");
      expect(r.labels.destination_workload).toBe("ratings-v1");
      expect(r.durationMs).toBeCloseTo(100, 0);
    }
    // One try per request (the route timeout is not retried); the server proxy logs the client's reset.
    const dest = toRatings(c, "destination");
    expect(dest.length).toBe(source.length);
    expect(dest.filter((r) => r.labels.response_flags === "DC" && r.labels.response_code === "0").length).toBe(
      timedOut.length,
    );
  });

  it("retries failed attempts as separate upstream requests and flags URX when attempts run out", () => {
    const yaml = ratingsVs(`
  - retries: {attempts: 3, retryOn: 5xx}
    route: [{destination: {host: ratings}}]`);
    const c = run({ yaml, topology: withRatings({ errorRate: 0.6 }), rps: 100, seconds: 20 });
    const source = toRatings(c, "source");
    const exhausted = source.filter((r) => r.labels.response_flags === "URX");
    // All four tries fail with probability 0.6^4.
    expect(Math.abs(exhausted.length / source.length - 0.6 ** 4)).toBeLessThan(0.03);
    expect(exhausted.every((r) => r.labels.response_code === "500")).toBe(true);
    // Expected tries per request: 1 + 0.6 + 0.36 + 0.216.
    const dest = toRatings(c, "destination");
    expect(dest.length / source.length).toBeCloseTo(2.176, 1);
  });

  it("does not retry a 500 under Istio's default retry policy, which retries 503 only", () => {
    const c = run({ topology: withRatings({ errorRate: 0.5 }), seconds: 10 });
    const source = toRatings(c, "source");
    expect(toRatings(c, "destination").length).toBe(source.length);
    expect(source.some((r) => r.labels.response_flags.includes("URX"))).toBe(false);
  });

  it("times out each try at perTryTimeout and retries it", () => {
    const yaml = ratingsVs(`
  - retries: {attempts: 2, perTryTimeout: 50ms, retryOn: gateway-error}
    route: [{destination: {host: ratings}}]`);
    const c = run({ yaml, topology: slowRatings, seconds: 10 });
    const source = toRatings(c, "source");
    const failed = source.filter((r) => r.labels.response_flags === "UT,URX");
    expect(failed.length / source.length).toBeGreaterThan(0.9);
    for (const r of failed) expect(r.durationMs).toBeGreaterThan(150);
    expect(toRatings(c, "destination").length / source.length).toBeGreaterThan(2.8);
  });
});
