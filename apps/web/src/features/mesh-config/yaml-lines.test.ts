import { describe, expect, it } from "vitest";
import { diffLines, diffStats } from "./diff-lines";
import { pathSegments, yamlLocator } from "./yaml-lines";

const TWO_DOCS = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: bookinfo
spec:
  host: reviews
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        subset: v1
    - destination:
        host: reviews
        subset: v9
`;

describe("validation findings in the YAML editor", () => {
  it("splits a finding's path into keys and indexes", () => {
    expect(pathSegments("spec.http[1].route[0].destination")).toEqual(["spec", "http", 1, "route", 0, "destination"]);
  });

  it("finds the line of a path inside the document of the named object", () => {
    const locate = yamlLocator(TWO_DOCS);
    const vs = { kind: "VirtualService", namespace: "bookinfo", name: "reviews" };
    expect(locate.lineOf("spec.http[0].route[1].destination.subset", vs)).toBe(24);
    expect(locate.lineOf("spec.host", { ...vs, kind: "DestinationRule" })).toBe(7);
  });

  it("falls back to the nearest existing parent of a path that is not in the text", () => {
    expect(yamlLocator(TWO_DOCS).lineOf("spec.missing.deeper")).toBe(7);
  });

  it("gives no line for a path the text does not have at all", () => {
    expect(yamlLocator("just a scalar").lineOf("spec.http[0]")).toBeNull();
  });

  it("reports YAML syntax errors with their line", () => {
    const errors = yamlLocator("kind: VirtualService\nspec:\n  hosts: [reviews\n").syntaxErrors;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
  });
});

describe("diff lines", () => {
  it("tells file headers from additions and removals", () => {
    const lines = diffLines("--- a/x.yaml\n+++ b/x.yaml\n@@ -1,2 +1,2 @@\n spec:\n-  weight: 50\n+  weight: 80\n");
    expect(lines.map((l) => l.kind)).toEqual(["file", "file", "hunk", "context", "del", "add"]);
    expect(diffStats(lines)).toEqual({ added: 1, removed: 1 });
  });
});
