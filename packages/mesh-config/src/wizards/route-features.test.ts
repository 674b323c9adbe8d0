import { describe, expect, it } from "vitest";
import { build, MANAGED, problems, target } from "./bookinfo.testing.js";

const vsFor = (http: unknown[], wizard: Parameters<typeof MANAGED>[0]) => ({
  apiVersion: "networking.istio.io/v1",
  kind: "VirtualService",
  metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED(wizard) },
  spec: { hosts: ["reviews"], http },
});

describe("the fault-injection wizard", () => {
  it("adds a delay and an abort to a default route for a service with no VirtualService", () => {
    const body = {
      ...target,
      delay: { percentage: { value: 10 }, fixedDelay: "5s" },
      abort: { percentage: { value: 50 }, httpStatus: 500 },
    };
    expect(build("fault-injection", body)).toEqual([
      vsFor(
        [
          {
            route: [{ destination: { host: "reviews" } }],
            fault: {
              delay: { percentage: { value: 10 }, fixedDelay: "5s" },
              abort: { percentage: { value: 50 }, httpStatus: 500 },
            },
          },
        ],
        "fault-injection",
      ),
    ]);
  });

  it("refuses a body with neither a delay nor an abort", () => {
    expect(problems("fault-injection", target)).toEqual([{ path: "", message: "give a delay, an abort or both" }]);
  });

  it("refuses a percentage above 100, a status below 100 and a delay that is not a duration", () => {
    const body = {
      ...target,
      delay: { percentage: { value: 120 }, fixedDelay: "5" },
      abort: { percentage: { value: 50 }, httpStatus: 99 },
    };
    expect(problems("fault-injection", body)).toEqual([
      { path: "delay.percentage.value", message: "must be a percentage from 0 to 100" },
      { path: "delay.fixedDelay", message: '"5" is not a duration: write it like 5s, 250ms or 1m' },
      { path: "abort.httpStatus", message: "must be an HTTP status from 100 to 599" },
    ]);
  });

  it("refuses delays below one millisecond or finer than a millisecond", () => {
    const delay = (fixedDelay: string) => ({ ...target, delay: { percentage: { value: 1 }, fixedDelay } });
    expect(problems("fault-injection", delay("0s"))).toEqual([
      { path: "delay.fixedDelay", message: '"0s" is shorter than 1ms' },
    ]);
    expect(problems("fault-injection", delay("1.5ms"))).toEqual([
      {
        path: "delay.fixedDelay",
        message: '"1.5ms" is not whole milliseconds (Istio supports millisecond precision only)',
      },
    ]);
  });

  it("refuses an unknown key, naming it", () => {
    const body = { ...target, abort: { percentage: { value: 5 }, httpStatus: 503, percent: 5 } };
    expect(problems("fault-injection", body)).toEqual([{ path: "abort", message: 'Unrecognized key: "percent"' }]);
  });
});

describe("the timeouts-retries wizard", () => {
  it("sets a timeout and a retry policy on the default route", () => {
    const body = {
      ...target,
      timeout: "2s",
      retries: { attempts: 3, perTryTimeout: "500ms", retryOn: "gateway-error,connect-failure,refused-stream" },
    };
    expect(build("timeouts-retries", body)).toEqual([
      vsFor(
        [
          {
            route: [{ destination: { host: "reviews" } }],
            timeout: "2s",
            retries: { attempts: 3, perTryTimeout: "500ms", retryOn: "gateway-error,connect-failure,refused-stream" },
          },
        ],
        "timeouts-retries",
      ),
    ]);
  });

  it("removes retries the body leaves out, since the wizard owns both fields", () => {
    const first = build("timeouts-retries", { ...target, timeout: "2s", retries: { attempts: 2 } });
    const second = build("timeouts-retries", { ...target, timeout: "3s" }, { existing: first, versions: [] });
    const vs = second[0];
    expect(vs?.kind === "VirtualService" && vs.spec.http).toEqual([
      { route: [{ destination: { host: "reviews" } }], timeout: "3s" },
    ]);
  });

  it("refuses an unknown retry policy and retry fields that zero attempts would ignore", () => {
    expect(problems("timeouts-retries", { ...target, retries: { attempts: 2, retryOn: "5xx,sometimes" } })).toEqual([
      {
        path: "retries.retryOn",
        message: '"sometimes" is not a retry policy (e.g. 5xx, gateway-error, connect-failure, or an HTTP status)',
      },
    ]);
    expect(problems("timeouts-retries", { ...target, retries: { attempts: 0, retryOn: "5xx" } })).toEqual([
      {
        path: "retries",
        message: "attempts 0 disables retries: drop perTryTimeout and retryOn, or retry at least once",
      },
    ]);
  });
});
