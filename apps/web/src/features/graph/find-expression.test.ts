import { describe, expect, it } from "vitest";
import { compileFind, type FindSubject } from "./find-expression";
import { bookinfoGraph } from "./graph-fixture.test-support";
import { buildGraphModel, edgeSubject, nodeSubject } from "./graph-model";

const model = buildGraphModel(bookinfoGraph());

function found(expr: string): string[] {
  const result = compileFind(expr);
  if (!result.ok) throw new Error(result.error.message);
  const find = result.find;
  if (!find) return [];
  const subjects: [string, FindSubject][] = [
    ...model.nodes.map((n): [string, FindSubject] => [n.id, nodeSubject(n)]),
    ...model.edges.map((e): [string, FindSubject] => [e.id, edgeSubject(e)]),
  ];
  return subjects
    .filter(([, s]) => find.matches(s))
    .map(([id]) => id)
    .sort();
}

function errorOf(expr: string) {
  const result = compileFind(expr);
  return result.ok ? null : result.error;
}

describe("find expressions", () => {
  it("finds nodes by any of their names, case-insensitively", () => {
    expect(found("name = Reviews")).toEqual([
      "app:bookinfo/reviews/v1",
      "app:bookinfo/reviews/v2",
      "app:bookinfo/reviews/v3",
      "service:bookinfo/reviews",
    ]);
  });

  it("compares request rates on both nodes and edges", () => {
    const ids = found("rps > 9");
    expect(ids).toContain("service:bookinfo/productpage");
    expect(ids).toContain("app:istio-system/istio-ingressgateway/latest -> service:bookinfo/productpage (http)");
    expect(ids).not.toContain("app:bookinfo/reviews/v1");
  });

  it("matches health on nodes and edges", () => {
    expect(found("health = failure")).toEqual([
      "app:bookinfo/ratings/v1",
      "app:bookinfo/reviews/v2 -> service:bookinfo/ratings (grpc)",
      "app:bookinfo/reviews/v3 -> service:bookinfo/ratings (http)",
      "service:bookinfo/ratings",
      "service:bookinfo/ratings -> app:bookinfo/ratings/v1 (http)",
    ]);
  });

  it("applies an edge-only field to edges only, even negated", () => {
    expect(found("protocol = grpc")).toEqual(["app:bookinfo/reviews/v2 -> service:bookinfo/ratings (grpc)"]);
    expect(found("!protocol = grpc")).toHaveLength(model.edges.length - 1);
  });

  it("binds and tighter than or, and lets parentheses regroup", () => {
    // health = failure and protocol = grpc  →  one edge;  or name = details  →  plus the two details nodes.
    expect(found("name = details or health = failure and protocol = grpc")).toHaveLength(3);
    expect(found("(name = details or health = failure) and protocol = grpc")).toHaveLength(1);
  });

  it("accepts Kiali's spellings: &&, ||, !flag, is/has, ns, rt with units", () => {
    expect(found("ns = istio-system || has mtls && rt > 1s")).toEqual(["app:istio-system/istio-ingressgateway/latest"]);
    expect(found("!healthy and node = service")).toEqual(["service:bookinfo/ratings"]);
    expect(found("error >= 50%")).toContain("service:bookinfo/ratings -> app:bookinfo/ratings/v1 (http)");
  });

  it("supports contains, startswith and endswith", () => {
    expect(found("service contains view")).toEqual(["service:bookinfo/reviews"]);
    expect(found("app ^= product and version $= 1")).toEqual(["app:bookinfo/productpage/v1"]);
  });

  it("treats an empty expression as no find at all", () => {
    expect(compileFind("  ")).toEqual({ ok: true, find: null });
  });

  it("reports an unknown field where it is", () => {
    expect(errorOf("rps > 1 and colour = red")).toEqual({ message: 'Unknown field "colour"', at: 12 });
  });

  it("reports a value that the field cannot take", () => {
    expect(errorOf("health = sad")?.message).toBe(
      '"sad" is not a health: use healthy, degraded, failure, idle, unknown',
    );
    expect(errorOf("rps > lots")?.message).toBe('"lots" is not a number of requests/s');
    expect(errorOf("name > 3")?.message).toBe('"name" is not a number: use = or !=');
  });

  it("reports dangling operators, missing values and unbalanced parentheses", () => {
    expect(errorOf("rps > 1 and")).toEqual({ message: "Expected a condition, e.g. rps > 10", at: 11 });
    expect(errorOf("rps >")?.message).toBe('Expected a value after ">"');
    expect(errorOf("(rps > 1")?.message).toBe('Expected ")"');
    expect(errorOf("rps")?.message).toBe('"rps" needs an operator and a value, e.g. rps > 10');
    expect(errorOf("rps > 1 rps < 5")?.message).toBe('Expected "and" or "or" before "rps"');
  });

  it("matches a quoted hostile value as plain text", () => {
    expect(found('name = "<img src=x onerror=alert(1)>"')).toEqual([]);
  });
});
