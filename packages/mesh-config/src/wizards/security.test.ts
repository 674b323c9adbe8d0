import { describe, expect, it } from "vitest";
import type { PeerAuthentication } from "../objects.js";
import { bookinfo, build, MANAGED, problems, target } from "./bookinfo.testing.js";

describe("the mtls wizard", () => {
  it("writes a PeerAuthentication for the service's pods", () => {
    expect(build("mtls", { ...target, mode: "STRICT" })).toEqual([
      {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("mtls") },
        spec: { selector: { matchLabels: { app: "reviews" } }, mtls: { mode: "STRICT" } },
      },
    ]);
  });

  it("writes the namespace-wide policy named default, without a selector", () => {
    expect(build("mtls", { ...target, mode: "PERMISSIVE", scope: "namespace" })).toEqual([
      {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: "bookinfo", labels: MANAGED("mtls") },
        spec: { mtls: { mode: "PERMISSIVE" } },
      },
    ]);
  });

  it("keeps the port-level modes of an existing service policy", () => {
    const existing: PeerAuthentication = {
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "reviews", namespace: "bookinfo" },
      spec: { selector: { matchLabels: { app: "reviews" } }, portLevelMtls: { "9080": { mode: "DISABLE" } } },
    };
    const [policy] = build("mtls", { ...target, mode: "STRICT" }, bookinfo([existing]));
    expect(policy?.kind === "PeerAuthentication" && policy.spec.portLevelMtls).toEqual({ "9080": { mode: "DISABLE" } });
  });

  it("refuses a mode Istio does not have", () => {
    expect(problems("mtls", { ...target, mode: "ON" })).toEqual([
      { path: "mode", message: "mode must be STRICT, PERMISSIVE or DISABLE" },
    ]);
  });
});

describe("the access-control wizard", () => {
  it("writes an AuthorizationPolicy for the service's pods from principals and namespaces to methods and paths", () => {
    const body = {
      ...target,
      action: "ALLOW",
      rules: [
        {
          from: { principals: ["spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage"] },
          to: { methods: ["GET"], paths: ["/reviews/*"] },
        },
        { from: { namespaces: ["monitoring"] } },
      ],
    };
    expect(build("access-control", body)).toEqual([
      {
        apiVersion: "security.istio.io/v1",
        kind: "AuthorizationPolicy",
        metadata: { name: "reviews", namespace: "bookinfo", labels: MANAGED("access-control") },
        spec: {
          selector: { matchLabels: { app: "reviews" } },
          action: "ALLOW",
          rules: [
            {
              // Istio principals carry no spiffe:// scheme; written with it, the rule would never match.
              from: [{ source: { principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"] } }],
              to: [{ operation: { methods: ["GET"], paths: ["/reviews/*"] } }],
            },
            { from: [{ source: { namespaces: ["monitoring"] } }] },
          ],
        },
      },
    ]);
  });

  it("refuses an empty rule list, lower-case methods and an empty source", () => {
    expect(problems("access-control", { ...target, action: "DENY", rules: [] })).toEqual([
      { path: "rules", message: "give at least one rule" },
    ]);
    const body = { ...target, action: "DENY", rules: [{ from: {}, to: { methods: ["get"] } }] };
    expect(problems("access-control", body)).toEqual([
      { path: "rules[0].from", message: "from needs principals or namespaces (leave from out to match any source)" },
      { path: "rules[0].to.methods", message: "methods are upper-case, like GET" },
    ]);
  });
});
