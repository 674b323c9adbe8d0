import { describe, expect, it } from "vitest";
import type { VirtualService } from "../objects.js";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";

// Istio's virtual-service-reviews-test-v2.yaml: jason sees v2, everyone else v1.
const jasonToV2 = {
  ...target,
  rules: [{ match: { headers: { "end-user": { exact: "jason" } } }, version: "v2" }],
  defaultVersion: "v1",
};

describe("the request-routing wizard", () => {
  it("writes Istio's header-routing sample: the matched rule first, the default route last", () => {
    expect(build("request-routing", jasonToV2)).toEqual([
      {
        apiVersion: "networking.istio.io/v1",
        kind: "DestinationRule",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("request-routing") },
        spec: {
          host: "reviews",
          subsets: [
            { name: "v2", labels: { version: "v2" } },
            { name: "v1", labels: { version: "v1" } },
          ],
        },
      },
      {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("request-routing") },
        spec: {
          hosts: ["reviews"],
          http: [
            {
              match: [{ headers: { "end-user": { exact: "jason" } } }],
              route: [{ destination: { host: "reviews", subset: "v2" } }],
            },
            { route: [{ destination: { host: "reviews", subset: "v1" } }] },
          ],
        },
      },
    ]);
  });

  it("routes by uri and query parameters, one rule per body rule in order", () => {
    const body = {
      ...target,
      rules: [
        { match: { uri: { prefix: "/beta" } }, version: "v3" },
        { match: { queryParams: { canary: { exact: "1" } } }, version: "v2" },
      ],
      defaultVersion: "v1",
    };
    const vs = build("request-routing", body).find((o): o is VirtualService => o.kind === "VirtualService");
    expect(vs?.spec.http?.map((r) => [r.match, r.route?.[0]?.destination.subset])).toEqual([
      [[{ uri: { prefix: "/beta" } }], "v3"],
      [[{ queryParams: { canary: { exact: "1" } } }], "v2"],
      [undefined, "v1"],
    ]);
  });

  it("keeps an existing weighted default route when no defaultVersion is given", () => {
    const canary = build("traffic-shifting", {
      ...target,
      weights: [
        { version: "v1", weight: 80 },
        { version: "v3", weight: 20 },
      ],
    });
    const objects = build("request-routing", { ...jasonToV2, defaultVersion: undefined }, bookinfo(canary));
    const vs = objects.find((o): o is VirtualService => o.kind === "VirtualService");
    expect(vs?.spec.http?.[1]?.route?.map((r) => r.weight)).toEqual([80, 20]);
    // v2 is new to the canary's DestinationRule: it is added, v1 and v3 are kept.
    const dr = objects.find((o) => o.kind === "DestinationRule");
    expect(dr?.kind === "DestinationRule" && dr.spec.subsets?.map((s) => s.name)).toEqual(["v1", "v3", "v2"]);
  });

  it("asks for a defaultVersion when the service has no default route to keep", () => {
    expect(problems("request-routing", { ...jasonToV2, defaultVersion: undefined })).toEqual([
      {
        path: "defaultVersion",
        message: "reviews has no default route to keep: name the version that serves requests matching no rule",
      },
    ]);
  });

  it("refuses a rule that matches every request, which would hide the rules after it", () => {
    const body = { ...jasonToV2, rules: [{ match: {}, version: "v2" }] };
    expect(problems("request-routing", body)).toEqual([
      {
        path: "rules[0].match",
        message: "a rule must match on headers, uri or queryParams; requests that match no rule go to defaultVersion",
      },
    ]);
  });

  it("refuses a header name in capitals, which Istio would never match", () => {
    const body = { ...jasonToV2, rules: [{ match: { headers: { "End-User": { exact: "jason" } } }, version: "v2" }] };
    expect(problems("request-routing", body)).toEqual([
      { path: "rules[0].match.headers.End-User", message: '"End-User" is not a lower-case HTTP header name' },
    ]);
  });

  it("refuses a string match with two operators and a regex that does not compile", () => {
    const body = {
      ...jasonToV2,
      rules: [
        { match: { headers: { "end-user": { exact: "jason", prefix: "j" } } }, version: "v2" },
        { match: { uri: { regex: "/api/(v1" } }, version: "v3" },
      ],
    };
    expect(problems("request-routing", body)).toEqual([
      { path: "rules[0].match.headers.end-user", message: "give exactly one of exact, prefix or regex" },
      { path: "rules[1].match.uri.regex", message: '"/api/(v1" is not a valid regex' },
    ]);
  });
});
