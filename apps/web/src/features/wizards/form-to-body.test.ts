import { describe, expect, it } from "vitest";
import { initialForm, type WizardForm } from "./form-state";
import { formatDuration, formProblems, splitList, wizardBody } from "./form-to-body";
import { setWeight } from "./linked-weights";

const target = { namespace: "bookinfo", service: "reviews" };
const versions = ["v1", "v2", "v3"];

function form<W extends WizardForm["wizard"]>(wizard: W): Extract<WizardForm, { wizard: W }> {
  const state = initialForm(wizard, versions);
  if (state.wizard !== wizard) throw new Error("initialForm answered another wizard");
  // The switch in initialForm pairs each wizard with its form; the check above makes this narrowing sound.
  return state as Extract<WizardForm, { wizard: W }>;
}

describe("wizard form to request body", () => {
  it("sends the linked weights of traffic shifting as Istio route weights", () => {
    const state = form("traffic-shifting");
    state.form.weights = setWeight(setWeight(state.form.weights, "v2", 0), "v3", 20);
    expect(wizardBody(state, target)).toEqual({
      namespace: "bookinfo",
      service: "reviews",
      weights: [
        { version: "v1", weight: 80 },
        { version: "v2", weight: 0 },
        { version: "v3", weight: 20 },
      ],
    });
  });

  it("leaves a mirrored version out of the weights and names it as the mirror", () => {
    const state = form("traffic-shifting");
    state.form.weights = setWeight(state.form.weights, "v3", 0);
    state.form.mirror = { enabled: true, version: "v3", percentage: 25 };
    const body = wizardBody(state, target);
    expect(body).toMatchObject({ mirror: { version: "v3", percentage: { value: 25 } } });
    expect("weights" in body && body.weights.map((w) => w.version)).toEqual(["v1", "v2"]);
  });

  it("maps fault injection to Istio's delay and abort shapes, leaving out what is switched off", () => {
    const state = form("fault-injection");
    state.form.abort = { enabled: true, percent: 100, status: 500 };
    expect(wizardBody(state, target)).toEqual({ ...target, abort: { percentage: { value: 100 }, httpStatus: 500 } });
    state.form.delay = { enabled: true, percent: 10, duration: { value: 250, unit: "ms" } };
    expect(wizardBody(state, target)).toMatchObject({ delay: { percentage: { value: 10 }, fixedDelay: "250ms" } });
  });

  it("maps circuit-breaker limits to connectionPool and outlierDetection", () => {
    const state = form("circuit-breaker");
    state.form.outlier.enabled = true;
    expect(wizardBody(state, target)).toEqual({
      ...target,
      connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
      outlierDetection: { consecutive5xxErrors: 1, interval: "1s", baseEjectionTime: "3m", maxEjectionPercent: 100 },
    });
  });

  it("builds header, URI and query matches for request routing, header names lower-cased as Istio requires", () => {
    const state = form("request-routing");
    state.form.rules = [
      { kind: "header", name: "End-User", type: "exact", value: "jason", version: "v2" },
      { kind: "uri", name: "", type: "prefix", value: "/api", version: "v3" },
      { kind: "query", name: "beta", type: "regex", value: "^(1|true)$", version: "v3" },
    ];
    expect(wizardBody(state, target)).toEqual({
      ...target,
      rules: [
        { match: { headers: { "end-user": { exact: "jason" } } }, version: "v2" },
        { match: { uri: { prefix: "/api" } }, version: "v3" },
        { match: { queryParams: { beta: { regex: "^(1|true)$" } } }, version: "v3" },
      ],
      defaultVersion: "v1",
    });
  });

  it("sends timeouts and retries as Istio durations, dropping an empty retryOn", () => {
    const state = form("timeouts-retries");
    state.form.retries.retryOn = " , ";
    state.form.retries.perTry.enabled = false;
    expect(wizardBody(state, target)).toEqual({ ...target, timeout: "2s", retries: { attempts: 3 } });
  });

  it("turns comma-separated access-control fields into lists and omits empty sides", () => {
    const state = form("access-control");
    state.form.action = "DENY";
    state.form.rules = [{ principals: "", namespaces: "foo, bar", methods: "post,delete", paths: "" }];
    expect(wizardBody(state, target)).toEqual({
      ...target,
      action: "DENY",
      rules: [{ from: { namespaces: ["foo", "bar"] }, to: { methods: ["POST", "DELETE"] } }],
    });
  });

  it("maps mirroring, rate limit and mTLS to their flat bodies", () => {
    expect(wizardBody(form("mirroring"), target)).toEqual({
      ...target,
      version: "v1",
      mirror: { version: "v2" },
      percentage: { value: 100 },
    });
    expect(wizardBody(form("rate-limit"), target)).toEqual({
      ...target,
      maxTokens: 10,
      tokensPerFill: 10,
      fillInterval: "1s",
    });
    expect(wizardBody(form("mtls"), target)).toEqual({ ...target, mode: "STRICT", scope: "service" });
  });
});

describe("wizard form problems", () => {
  it("holds back a fault injection with neither a delay nor an abort", () => {
    const state = form("fault-injection");
    state.form.abort.enabled = false;
    expect(formProblems(state)).toEqual(["Add a delay, an abort or both."]);
  });

  it("holds back a routing rule without a header name or with a broken regex", () => {
    const state = form("request-routing");
    state.form.rules = [{ kind: "header", name: " ", type: "regex", value: "(", version: "v2" }];
    expect(formProblems(state)).toHaveLength(2);
  });

  it("holds back mirroring a version onto itself", () => {
    const state = form("mirroring");
    state.form.mirrorVersion = "v1";
    expect(formProblems(state)).toHaveLength(1);
  });

  it("lets every wizard's defaults through", () => {
    for (const wizard of [
      "traffic-shifting",
      "request-routing",
      "fault-injection",
      "timeouts-retries",
      "circuit-breaker",
      "mirroring",
      "rate-limit",
      "mtls",
      "access-control",
    ] as const) {
      expect(formProblems(initialForm(wizard, versions))).toEqual([]);
    }
  });

  it("holds back a rate limit refilled faster than Envoy allows", () => {
    const state = form("rate-limit");
    state.form.fillInterval = { value: 20, unit: "ms" };
    expect(formProblems(state)).toEqual(["Envoy needs a fill interval of at least 50ms."]);
  });

  it("holds back an access policy without rules", () => {
    const state = form("access-control");
    state.form.rules = [];
    expect(formProblems(state)).toEqual(["Add at least one rule."]);
  });

  it("never formats a zero duration, which Istio rejects", () => {
    expect(formatDuration({ value: 0, unit: "s" })).toBe("1s");
    expect(splitList("a,,b ")).toEqual(["a", "b"]);
  });
});
