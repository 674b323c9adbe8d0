import { describe, expect, it } from "vitest";
import type {
  DestinationRule,
  DestinationRuleSpec,
  HTTPRoute,
  MeshObject,
  PeerAuthentication,
  PeerAuthenticationSpec,
  VirtualService,
  VirtualServiceSpec,
} from "../objects.js";
import { VALIDATION_CODES } from "./codes.js";
import type { ValidationContext } from "./types.js";
import { validateMeshObjects } from "./validate.js";

const NS = "bookinfo";

function vs(name: string, spec: VirtualServiceSpec, namespace = NS): VirtualService {
  return { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name, namespace }, spec };
}

function dr(name: string, spec: DestinationRuleSpec, namespace = NS): DestinationRule {
  return { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name, namespace }, spec };
}

function pa(name: string, namespace: string, spec: PeerAuthenticationSpec): PeerAuthentication {
  return { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name, namespace }, spec };
}

const REVIEWS_DR = dr("reviews", {
  host: "reviews",
  subsets: [
    { name: "v1", labels: { version: "v1" } },
    { name: "v3", labels: { version: "v3" } },
  ],
});

/** A reviews VirtualService with one HTTP rule built from `rule`. */
function reviewsWith(rule: HTTPRoute, extra: Partial<VirtualServiceSpec> = {}): VirtualService {
  return vs("reviews", { hosts: ["reviews"], http: [rule], ...extra });
}

const TO_V1: HTTPRoute = { route: [{ destination: { host: "reviews", subset: "v1" } }] };

/** `code path` of every finding on the first object of `objects`. */
function findings(objects: readonly MeshObject[], context?: ValidationContext): string[] {
  const [first] = validateMeshObjects(objects, context);
  return (first?.messages ?? []).map((m) => `${m.code} ${m.path}`);
}

describe("validateMeshObjects", () => {
  it("answers one entry per object in input order, with the object's ref", () => {
    const results = validateMeshObjects([REVIEWS_DR, reviewsWith(TO_V1)]);
    expect(results.map((r) => r.ref)).toEqual([
      { kind: "DestinationRule", namespace: NS, name: "reviews" },
      { kind: "VirtualService", namespace: NS, name: "reviews" },
    ]);
    expect(results.flatMap((r) => r.messages)).toEqual([]);
  });

  it("includes the schema findings of each object", () => {
    const typo = reviewsWith({ ...TO_V1, ...{ retires: { attempts: 3 } } });
    expect(findings([typo, REVIEWS_DR])).toEqual(["MS0002 spec.http[0].retires"]);
  });

  describe("MS0101 subset not defined", () => {
    const toV2: HTTPRoute = { route: [{ destination: { host: "reviews", subset: "v2" } }] };

    it("fires for a route to a subset no DestinationRule of the host defines, and for a host without one", () => {
      expect(findings([reviewsWith(toV2), REVIEWS_DR])).toEqual(["MS0101 spec.http[0].route[0].destination.subset"]);
      expect(findings([reviewsWith(toV2)])).toEqual(["MS0101 spec.http[0].route[0].destination.subset"]);
    });

    it("does not fire when the subset is defined, also by a DestinationRule that already exists", () => {
      expect(findings([reviewsWith(TO_V1), REVIEWS_DR])).toEqual([]);
      expect(findings([reviewsWith(TO_V1)], { existing: [REVIEWS_DR] })).toEqual([]);
      const qualified = dr(
        "reviews-fqdn",
        { host: "reviews.bookinfo.svc.cluster.local", subsets: [{ name: "v2" }] },
        "x",
      );
      expect(findings([reviewsWith(toV2), qualified])).toEqual([]);
    });

    it("checks against the checked DestinationRule, not the existing one it replaces", () => {
      const withoutV1 = dr("reviews", { host: "reviews", subsets: [{ name: "v3", labels: { version: "v3" } }] });
      const [, vsResult] = validateMeshObjects([withoutV1, reviewsWith(TO_V1)], { existing: [REVIEWS_DR] });
      expect(vsResult?.messages.map((m) => m.code)).toEqual(["MS0101"]);
    });
  });

  describe("MS0201 subset labels match no workload", () => {
    const workloads = [
      { namespace: NS, name: "reviews-v1", labels: { app: "reviews", version: "v1" } },
      { namespace: NS, name: "reviews-v2", labels: { app: "reviews", version: "v2" } },
      { namespace: NS, name: "ratings-v3", labels: { app: "ratings", version: "v3" } },
    ];

    it("fires for a subset whose labels no workload of the service carries", () => {
      expect(findings([REVIEWS_DR], { workloads })).toEqual(["MS0201 spec.subsets[1].labels"]);
    });

    it("does not fire when a workload matches, nor without a workload inventory", () => {
      const fixed = dr("reviews", { host: "reviews", subsets: [{ name: "v2", labels: { version: "v2" } }] });
      expect(findings([fixed], { workloads })).toEqual([]);
      expect(findings([REVIEWS_DR])).toEqual([]);
    });
  });

  describe("MS0102 weights not summing to 100", () => {
    const split = (a: number, b: number): HTTPRoute => ({
      route: [
        { destination: { host: "reviews", subset: "v1" }, weight: a },
        { destination: { host: "reviews", subset: "v3" }, weight: b },
      ],
    });

    it("warns when the weights sum to something else", () => {
      const [result] = validateMeshObjects([reviewsWith(split(30, 30)), REVIEWS_DR]);
      expect(result?.messages).toEqual([
        {
          severity: "warning",
          code: "MS0102",
          path: "spec.http[0].route",
          message: "route weights sum to 60, not 100; Istio (≥ 1.15) splits traffic in proportion to them",
        },
      ]);
    });

    it("does not fire for 90/10 nor for a lone destination without a weight", () => {
      expect(findings([reviewsWith(split(90, 10)), REVIEWS_DR])).toEqual([]);
      expect(findings([reviewsWith(TO_V1), REVIEWS_DR])).toEqual([]);
    });
  });

  describe("MS0103 rule after a match-all rule", () => {
    const jason: HTTPRoute = { match: [{ headers: { "end-user": { exact: "jason" } } }], ...TO_V1 };

    it("warns on every rule after a rule without match, or with a match-everything entry", () => {
      const vsA = vs("reviews", { hosts: ["reviews"], http: [TO_V1, jason, TO_V1] });
      expect(findings([vsA, REVIEWS_DR])).toEqual(["MS0103 spec.http[1]", "MS0103 spec.http[2]"]);
      const prefixAll: HTTPRoute = { match: [{ name: "all", uri: { prefix: "/" } }], ...TO_V1 };
      expect(findings([vs("reviews", { hosts: ["reviews"], http: [prefixAll, jason] }), REVIEWS_DR])).toEqual([
        "MS0103 spec.http[1]",
      ]);
    });

    it("does not fire when the specific rule comes first", () => {
      expect(findings([vs("reviews", { hosts: ["reviews"], http: [jason, TO_V1] }), REVIEWS_DR])).toEqual([]);
    });
  });

  describe("MS0104 duplicate host across VirtualServices", () => {
    it("warns when another VirtualService routes the same host on the same gateway", () => {
      const other = vs("reviews-canary", { hosts: ["reviews.bookinfo.svc.cluster.local"], http: [TO_V1] });
      expect(findings([reviewsWith(TO_V1), REVIEWS_DR, other])).toEqual(["MS0104 spec.hosts[0]"]);
      expect(findings([reviewsWith(TO_V1)], { existing: [REVIEWS_DR, other] })).toEqual(["MS0104 spec.hosts[0]"]);
    });

    it("does not fire for the object it replaces nor for a VirtualService bound to another gateway", () => {
      expect(findings([reviewsWith(TO_V1)], { existing: [REVIEWS_DR, reviewsWith(TO_V1)] })).toEqual([]);
      const gateway = {
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway" as const,
        metadata: { name: "public", namespace: NS },
        spec: {},
      };
      const ingress = vs("reviews-ingress", { hosts: ["reviews"], gateways: ["public"], http: [TO_V1] });
      expect(findings([reviewsWith(TO_V1), REVIEWS_DR, ingress, gateway])).toEqual([]);
    });
  });

  describe("MS0301 duration format", () => {
    it.each([
      ["5", "spec.http[0].timeout"],
      ["0s", "spec.http[0].timeout"],
      ["0.5ms", "spec.http[0].timeout"],
      ["1.2345s", "spec.http[0].timeout"],
      ["-1s", "spec.http[0].timeout"],
    ])("fires for timeout %s", (timeout, path) => {
      expect(findings([reviewsWith({ ...TO_V1, timeout }), REVIEWS_DR])).toEqual([`MS0301 ${path}`]);
    });

    it.each(["5s", "250ms", "1.5s", "1h", "1m30s"])("does not fire for timeout %s", (timeout) => {
      expect(findings([reviewsWith({ ...TO_V1, timeout }), REVIEWS_DR])).toEqual([]);
    });

    it("checks perTryTimeout, fixedDelay and the DestinationRule's durations at every policy level", () => {
      const rule: HTTPRoute = {
        ...TO_V1,
        retries: { attempts: 2, perTryTimeout: "0ms" },
        fault: { delay: { fixedDelay: "soon", percentage: { value: 10 } } },
      };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual([
        "MS0301 spec.http[0].retries.perTryTimeout",
        "MS0301 spec.http[0].fault.delay.fixedDelay",
      ]);
      const badPolicy = {
        connectionPool: { tcp: { connectTimeout: "0" }, http: { idleTimeout: "10" } },
        outlierDetection: { interval: "1s", baseEjectionTime: "0.1ms" },
      };
      const rule2 = dr("reviews", {
        host: "reviews",
        trafficPolicy: badPolicy,
        subsets: [{ name: "v1", trafficPolicy: { outlierDetection: { interval: "1d" } } }],
      });
      expect(findings([rule2])).toEqual([
        "MS0301 spec.trafficPolicy.connectionPool.tcp.connectTimeout",
        "MS0301 spec.trafficPolicy.connectionPool.http.idleTimeout",
        "MS0301 spec.trafficPolicy.outlierDetection.baseEjectionTime",
        "MS0301 spec.subsets[0].trafficPolicy.outlierDetection.interval",
      ]);
    });
  });

  describe("MS0302 percentages and MS0105 abort status", () => {
    it("fires for a fault percentage over 100, a negative mirror share and an ejection share over 100", () => {
      const rule: HTTPRoute = {
        ...TO_V1,
        fault: { abort: { httpStatus: 503, percentage: { value: 150 } } },
        mirror: { host: "reviews", subset: "v3" },
        mirrorPercentage: { value: -1 },
      };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual([
        "MS0302 spec.http[0].fault.abort.percentage.value",
        "MS0302 spec.http[0].mirrorPercentage.value",
      ]);
      const policy = dr("httpbin", {
        host: "httpbin",
        trafficPolicy: { outlierDetection: { maxEjectionPercent: 101 } },
      });
      expect(findings([policy])).toEqual(["MS0302 spec.trafficPolicy.outlierDetection.maxEjectionPercent"]);
    });

    it.each([99, 600, 0])("fires for abort httpStatus %d", (httpStatus) => {
      const rule: HTTPRoute = { ...TO_V1, fault: { abort: { httpStatus, percentage: { value: 50 } } } };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual(["MS0105 spec.http[0].fault.abort.httpStatus"]);
    });

    it("does not fire for a 503 abort on half the requests and a 0.5% delay", () => {
      const rule: HTTPRoute = {
        ...TO_V1,
        fault: {
          abort: { httpStatus: 503, percentage: { value: 50 } },
          delay: { fixedDelay: "7s", percentage: { value: 0.5 } },
        },
      };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual([]);
    });
  });

  describe("MS0106 and MS0203 unknown host", () => {
    const services = [
      { namespace: NS, name: "reviews" },
      { namespace: "shop", name: "cart" },
    ];
    const toHost = (host: string): HTTPRoute => ({ route: [{ destination: { host } }] });

    it("fires for a destination host that is no known service, and for a DestinationRule host", () => {
      expect(findings([reviewsWith(toHost("reveiws"))], { services })).toEqual([
        "MS0106 spec.http[0].route[0].destination.host",
      ]);
      expect(findings([reviewsWith(toHost("cart.bookinfo"))], { services })).toEqual([
        "MS0106 spec.http[0].route[0].destination.host",
      ]);
      expect(findings([dr("x", { host: "www.example.org" })], { services })).toEqual(["MS0203 spec.host"]);
    });

    it("does not fire for short, name.namespace, FQDN and ServiceEntry hosts, nor without an inventory", () => {
      for (const host of ["reviews", "cart.shop", "cart.shop.svc.cluster.local"]) {
        expect(findings([reviewsWith(toHost(host))], { services })).toEqual([]);
      }
      const entry = {
        apiVersion: "networking.istio.io/v1",
        kind: "ServiceEntry" as const,
        metadata: { name: "example", namespace: NS },
        spec: {
          hosts: ["www.example.org"],
          resolution: "DNS",
          ports: [{ number: 443, name: "https", protocol: "TLS" }],
        },
      };
      expect(findings([reviewsWith(toHost("www.example.org")), entry], { services })).toEqual([]);
      expect(findings([reviewsWith(toHost("reveiws"))])).toEqual([]);
    });
  });

  describe("MS0107 mirror to the routed subset", () => {
    it("warns when the mirror (or one of mirrors) is the subset the rule routes to", () => {
      const rule: HTTPRoute = { ...TO_V1, mirror: { host: "reviews", subset: "v1" } };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual(["MS0107 spec.http[0].mirror.subset"]);
      const rule2: HTTPRoute = { ...TO_V1, mirrors: [{ destination: { host: "reviews.bookinfo", subset: "v1" } }] };
      expect(findings([reviewsWith(rule2), REVIEWS_DR])).toEqual(["MS0107 spec.http[0].mirrors[0].destination.subset"]);
    });

    it("does not fire for a mirror to another subset", () => {
      const rule: HTTPRoute = { ...TO_V1, mirror: { host: "reviews", subset: "v3" }, mirrorPercentage: { value: 10 } };
      expect(findings([reviewsWith(rule), REVIEWS_DR])).toEqual([]);
    });
  });

  describe("MS0108 gateway reference", () => {
    // `gateways` of a match is an Istio field the typed model leaves out; it is read from the raw object.
    const onOtherGateway = { uri: { prefix: "/reviews" }, gateways: ["istio-system/other"] };
    const gateway = (name: string, namespace: string): MeshObject => ({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name, namespace },
      spec: { selector: { istio: "ingressgateway" } },
    });

    it("fires for a gateway that exists nowhere, in spec.gateways and in a match", () => {
      const service = reviewsWith(
        { ...TO_V1, match: [onOtherGateway] },
        {
          gateways: ["mesh", "public"],
        },
      );
      expect(findings([service, REVIEWS_DR])).toEqual([
        "MS0108 spec.gateways[1]",
        "MS0108 spec.http[0].match[0].gateways[0]",
      ]);
    });

    it("does not fire for mesh, a Gateway in the set, or one in another namespace named with its namespace", () => {
      const service = reviewsWith(
        { ...TO_V1, match: [onOtherGateway] },
        {
          gateways: ["mesh", "public"],
        },
      );
      const existing = [gateway("other", "istio-system")];
      expect(findings([service, REVIEWS_DR, gateway("public", NS)], { existing })).toEqual([]);
    });
  });

  describe("MS0202 TLS mode against STRICT mTLS", () => {
    const disabling = dr("reviews", { host: "reviews", trafficPolicy: { tls: { mode: "DISABLE" } } });
    const strict = (namespace: string, selector?: Record<string, string>) =>
      pa(selector ? "reviews-strict" : "default", namespace, {
        mtls: { mode: "STRICT" },
        ...(selector ? { selector: { matchLabels: selector } } : {}),
      });

    it("fires for DISABLE under a mesh-wide, a namespace-wide or a workload STRICT PeerAuthentication", () => {
      expect(findings([disabling, strict("istio-system")])).toEqual(["MS0202 spec.trafficPolicy.tls.mode"]);
      expect(findings([disabling], { existing: [strict(NS)] })).toEqual(["MS0202 spec.trafficPolicy.tls.mode"]);
      expect(findings([disabling, strict(NS, { app: "reviews" })])).toEqual(["MS0202 spec.trafficPolicy.tls.mode"]);
    });

    it("does not fire for ISTIO_MUTUAL, for a namespace that overrides the mesh with PERMISSIVE, or for other apps", () => {
      const mutual = dr("reviews", { host: "reviews", trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } });
      expect(findings([mutual, strict("istio-system")])).toEqual([]);
      const permissive = pa("default", NS, { mtls: { mode: "PERMISSIVE" } });
      expect(findings([disabling, strict("istio-system"), permissive])).toEqual([]);
      expect(findings([disabling, strict(NS, { app: "ratings" })])).toEqual([]);
    });
  });

  it("describes every code with a severity, and names Kiali's code where one exists", () => {
    for (const [code, info] of Object.entries(VALIDATION_CODES)) {
      expect(code).toMatch(/^MS\d{4}$/);
      expect(["error", "warning", "info"]).toContain(info.severity);
      expect(info.description.length).toBeGreaterThan(10);
    }
    expect(VALIDATION_CODES.MS0101.kia).toBe("KIA1107");
    expect(VALIDATION_CODES.MS0104.kia).toBe("KIA1106");
  });
});
