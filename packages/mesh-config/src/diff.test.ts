import { describe, expect, it } from "vitest";
import { diffMeshObjects, meshObjectFilePath } from "./diff.js";
import type { DestinationRule, VirtualService } from "./objects.js";
import { parseMeshYaml } from "./parse-yaml.js";

function split(v1: number, v3: number): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo", labels: { "app.kubernetes.io/managed-by": "meshscope" } },
    spec: {
      hosts: ["reviews"],
      http: [
        {
          route: [
            { destination: { host: "reviews", subset: "v1" }, weight: v1 },
            { destination: { host: "reviews", subset: "v3" }, weight: v3 },
          ],
        },
      ],
    },
  };
}

const SUBSETS: DestinationRule = {
  apiVersion: "networking.istio.io/v1",
  kind: "DestinationRule",
  metadata: { name: "reviews", namespace: "bookinfo" },
  spec: { host: "reviews", subsets: [{ name: "v1", labels: { version: "v1" } }] },
};

/** The hunk headers of a unified diff text. */
function hunkHeaders(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("@@"));
}

describe("diffMeshObjects", () => {
  it("shows a weight change as an update with one hunk holding three lines of context before the first change", () => {
    const { changes, text } = diffMeshObjects([split(90, 10)], [split(80, 20)]);
    expect(changes.map((c) => [c.action, c.ref])).toEqual([
      ["update", { kind: "VirtualService", namespace: "bookinfo", name: "reviews" }],
    ]);
    expect(text).toBe(
      [
        "--- a/bookinfo/virtualservice-reviews.yaml",
        "+++ b/bookinfo/virtualservice-reviews.yaml",
        "@@ -13,8 +13,8 @@",
        "         - destination:",
        "             host: reviews",
        "             subset: v1",
        "-          weight: 90",
        "+          weight: 80",
        "         - destination:",
        "             host: reviews",
        "             subset: v3",
        "-          weight: 10",
        "+          weight: 20",
        "",
      ].join("\n"),
    );
  });

  it("carries the YAML before and after, which parse back to the objects", () => {
    const [change] = diffMeshObjects([split(90, 10)], [split(80, 20)]).changes;
    expect(parseMeshYaml(change?.before ?? "").objects).toEqual([split(90, 10)]);
    expect(parseMeshYaml(change?.after ?? "").objects).toEqual([split(80, 20)]);
  });

  it("shows a new object as a create from /dev/null with every line added", () => {
    const { changes, text } = diffMeshObjects([], [SUBSETS]);
    expect(changes).toEqual([
      {
        ref: { kind: "DestinationRule", namespace: "bookinfo", name: "reviews" },
        action: "create",
        before: null,
        after: changes[0]?.after,
      },
    ]);
    const lineCount = (changes[0]?.after ?? "").split("\n").length - 1;
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "--- /dev/null",
      "+++ b/bookinfo/destinationrule-reviews.yaml",
      `@@ -0,0 +1,${lineCount} @@`,
    ]);
    expect(lines.slice(3, -1).every((l) => l.startsWith("+"))).toBe(true);
    expect(lines.slice(3, -1)).toHaveLength(lineCount);
  });

  it("shows an object only in before as a delete to /dev/null", () => {
    const { changes, text } = diffMeshObjects([SUBSETS, split(90, 10)], [split(90, 10)]);
    expect(changes.map((c) => [c.action, c.ref.kind, c.after])).toEqual([["delete", "DestinationRule", null]]);
    expect(text.split("\n").slice(0, 2)).toEqual(["--- a/bookinfo/destinationrule-reviews.yaml", "+++ /dev/null"]);
    expect(hunkHeaders(text)).toEqual([`@@ -1,${(changes[0]?.before ?? "").split("\n").length - 1} +0,0 @@`]);
  });

  it("leaves out unchanged objects and ignores a differing resourceVersion", () => {
    const stored = { ...SUBSETS, metadata: { ...SUBSETS.metadata, resourceVersion: "4711" } };
    expect(diffMeshObjects([stored, split(90, 10)], [SUBSETS, split(90, 10)])).toEqual({ changes: [], text: "" });
  });

  it("splits far-apart changes into separate hunks and lists changes in the order of after, then deletes", () => {
    const wide = split(90, 10);
    wide.spec.hosts = ["reviews", "reviews.bookinfo"];
    const [rule] = wide.spec.http ?? [];
    if (rule) Object.assign(rule, { timeout: "5s", retries: { attempts: 3, perTryTimeout: "2s" } });
    const changed = structuredClone(wide);
    changed.spec.hosts = ["reviews.bookinfo.svc.cluster.local", "reviews.bookinfo"];
    const [changedRule] = changed.spec.http ?? [];
    if (changedRule) changedRule.timeout = "10s";
    const other = { ...SUBSETS, metadata: { name: "ratings", namespace: "bookinfo" } };
    const { changes, text } = diffMeshObjects([wide, other], [SUBSETS, changed]);
    expect(changes.map((c) => `${c.action} ${c.ref.kind}/${c.ref.name}`)).toEqual([
      "create DestinationRule/reviews",
      "update VirtualService/reviews",
      "delete DestinationRule/ratings",
    ]);
    const vsSection = text.slice(text.indexOf("--- a/bookinfo/virtualservice-reviews.yaml"));
    const headers = hunkHeaders(vsSection.slice(0, vsSection.indexOf("--- a/bookinfo/destinationrule-ratings")));
    expect(headers).toHaveLength(2);
    for (const header of headers) expect(header).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
  });

  it("names files as the files target does", () => {
    expect(meshObjectFilePath({ kind: "PeerAuthentication", namespace: "istio-system", name: "default" })).toBe(
      "istio-system/peerauthentication-default.yaml",
    );
  });
});
