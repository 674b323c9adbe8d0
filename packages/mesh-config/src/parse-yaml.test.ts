import { describe, expect, it } from "vitest";
import { REVIEWS_90_10, REVIEWS_SUBSETS } from "./istio-samples.test-support.js";
import type { MeshObject, VirtualService } from "./objects.js";
import { parseMeshYaml, stringifyMeshYaml } from "./parse-yaml.js";

function virtualService(o: MeshObject | undefined): VirtualService {
  if (o?.kind !== "VirtualService") throw new Error(`expected a VirtualService, got ${o?.kind}`);
  return o;
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error("no item");
  return item;
}

function lineNumberOf(text: string, needle: string): number {
  return text.split("\n").findIndex((line) => line.includes(needle)) + 1;
}

describe("parseMeshYaml", () => {
  it("reads a VirtualService with numeric weights in the default namespace it is given", () => {
    const { objects, errors } = parseMeshYaml(REVIEWS_90_10, { defaultNamespace: "bookinfo" });
    expect(errors).toEqual([]);
    const vs = only(objects);
    expect(vs.kind).toBe("VirtualService");
    expect(vs.metadata).toEqual({ name: "reviews", namespace: "bookinfo" });
    const routes = virtualService(vs).spec.http?.[0]?.route ?? [];
    expect(routes.map((r) => [r.destination.subset, r.weight])).toEqual([
      ["v1", 90],
      ["v3", 10],
    ]);
  });

  it("keeps a namespace written in the metadata and falls back to default without one", () => {
    const { objects } = parseMeshYaml(`${REVIEWS_SUBSETS}---\n${REVIEWS_90_10}`);
    expect(objects.map((o) => o.metadata.namespace)).toEqual(["shop", "default"]);
    const dr = objects[0];
    if (dr?.kind !== "DestinationRule") throw new Error("expected the DestinationRule first");
    expect(dr.spec.subsets?.map((s) => s.labels?.version)).toEqual(["v1", "v3"]);
  });

  it("reports a field of the wrong type with its path and line, and keeps the good documents around it", () => {
    const bad = REVIEWS_90_10.replace("weight: 10", 'weight: "10"');
    const text = `${REVIEWS_SUBSETS}---\n${bad}---\n${REVIEWS_90_10}`;
    const { objects, errors } = parseMeshYaml(text, { source: "mix.yaml" });
    expect(objects.map((o) => o.kind)).toEqual(["DestinationRule", "VirtualService"]);
    const issue = only(errors);
    expect(issue).toMatchObject({ source: "mix.yaml", document: 2, path: "spec.http[0].route[1].weight" });
    expect(issue.line).toBe(lineNumberOf(text, 'weight: "10"'));
  });

  it("reports every missing required field of a document, pointing at its parent", () => {
    const text =
      "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: d\nspec:\n  subsets:\n  - labels: {version: v1}\n";
    const { objects, errors } = parseMeshYaml(text);
    expect(objects).toEqual([]);
    expect(errors.map((e) => [e.path, e.line])).toEqual([
      ["spec.host", 5],
      ["spec.subsets[0].name", 7],
    ]);
    expect(errors[0]?.message).toContain("required");
  });

  it("checks apiVersion, kind, metadata.name and spec of each document", () => {
    const docs = [
      "kind: VirtualService\nmetadata: {name: a}\nspec: {}",
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {}\nspec: {}",
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}",
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: [1]",
      "apiVersion: networking.istio.io/v1\nkind: EnvoyFilter\nmetadata: {name: a}\nspec: {}",
      "apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec: {}",
      "apiVersion: networking.istio.io/v1\nmetadata: {name: a}\nspec: {}",
      "- just\n- a list",
    ];
    const { objects, errors } = parseMeshYaml(docs.join("\n---\n"));
    expect(objects).toEqual([]);
    expect(errors.map((e) => [e.document, e.path])).toEqual([
      [1, "apiVersion"],
      [2, "metadata.name"],
      [3, "spec"],
      [4, "spec"],
      [5, "apiVersion"], // EnvoyFilter is served as v1alpha3 only
      [6, "kind"],
      [7, "kind"],
      [8, undefined],
    ]);
  });

  it("keeps Gateway, ServiceEntry and Sidecar as objects it reads but does not edit", () => {
    const text = ["Gateway", "ServiceEntry", "Sidecar"]
      .map((kind) => `apiVersion: networking.istio.io/v1\nkind: ${kind}\nmetadata: {name: x}\nspec: {hosts: ["*"]}\n`)
      .join("---\n");
    const { objects, errors } = parseMeshYaml(text);
    expect(errors).toEqual([]);
    expect(objects.map((o) => [o.kind, o.spec])).toEqual([
      ["Gateway", { hosts: ["*"] }],
      ["ServiceEntry", { hosts: ["*"] }],
      ["Sidecar", { hosts: ["*"] }],
    ]);
  });

  it("keeps fields it does not type, exactly as written", () => {
    const text = REVIEWS_90_10.replace(
      "  - route:",
      "  - corsPolicy:\n      allowOrigins: [{exact: 'https://a.test'}]\n    route:",
    );
    const vs = only(parseMeshYaml(text).objects);
    expect(vs.spec).toMatchObject({ http: [{ corsPolicy: { allowOrigins: [{ exact: "https://a.test" }] } }] });
  });

  it("reports YAML syntax errors and duplicate keys with their line, and keeps the other documents", () => {
    const text = `${REVIEWS_90_10}---\nkind: [VirtualService\nmetadata: x\n---\na: 1\na: 2\n---\n${REVIEWS_SUBSETS}`;
    const { objects, errors } = parseMeshYaml(text);
    expect(objects.map((o) => o.kind)).toEqual(["VirtualService", "DestinationRule"]);
    expect(errors.map((e) => e.document)).toContain(2);
    expect(errors.map((e) => e.document)).toContain(3);
    expect(errors.find((e) => e.document === 3)?.line).toBe(lineNumberOf(text, "a: 2"));
    expect(errors.every((e) => e.line !== undefined && !e.message.includes("\n"))).toBe(true);
  });

  it("refuses an alias-expansion bomb without expanding it, and keeps the other documents", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const started = performance.now();
    const { objects, errors } = parseMeshYaml(`${levels.join("\n")}\n---\n${REVIEWS_90_10}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(objects).toHaveLength(1);
    expect(only(errors)).toMatchObject({ document: 1, line: 1 });
    expect(errors[0]?.message).toMatch(/alias/i);
  });

  it("treats hostile strings and keys as plain data", () => {
    const text = REVIEWS_90_10.replace(
      "  - route:",
      "  - match:\n    - headers:\n        __proto__: {exact: polluted}\n        x-cmd: {regex: \"$(rm -rf /); {{constructor.constructor('alert(1)')()}}\"}\n        x-fn: {exact: !!js/function 'function () { return 1 }'}\n    route:",
    );
    const { objects } = parseMeshYaml(text);
    const match = virtualService(only(objects)).spec.http?.[0]?.match?.[0];
    expect(match?.headers?.["x-cmd"]?.regex).toBe("$(rm -rf /); {{constructor.constructor('alert(1)')()}}");
    expect(Object.prototype).not.toHaveProperty("exact");
    expect(match?.headers?.["x-fn"]?.exact).toBe("function () { return 1 }");
    expect(Object.keys(match?.headers ?? {})).toEqual(["x-cmd", "x-fn"]);
  });

  it("ignores empty documents and comment-only text", () => {
    expect(parseMeshYaml("")).toEqual({ objects: [], errors: [] });
    expect(parseMeshYaml("# nothing here\n---\n---\n")).toEqual({ objects: [], errors: [] });
    expect(parseMeshYaml(`---\n${REVIEWS_90_10}---\n`).objects).toHaveLength(1);
  });
});

describe("stringifyMeshYaml", () => {
  it("writes apiVersion, kind, metadata (name, namespace first) and spec in that order, then other fields", () => {
    const { objects } = parseMeshYaml(
      "spec: {host: reviews}\nstatus: {}\nmetadata: {labels: {a: b}, namespace: shop, name: r}\nkind: DestinationRule\napiVersion: networking.istio.io/v1\n",
    );
    const text = stringifyMeshYaml(objects);
    const topKeys = text.split("\n").filter((l) => /^\w/.test(l));
    expect(topKeys).toEqual([
      "apiVersion: networking.istio.io/v1",
      "kind: DestinationRule",
      "metadata:",
      "spec:",
      "status: {}",
    ]);
    expect(text).toMatch(/metadata:\n {2}name: r\n {2}namespace: shop\n {2}labels:/);
  });

  it("separates objects with --- and round-trips through parseMeshYaml", () => {
    const first = parseMeshYaml(`${REVIEWS_90_10}---\n${REVIEWS_SUBSETS}`, { defaultNamespace: "bookinfo" });
    const text = stringifyMeshYaml(first.objects);
    expect(text.split(/^---$/m)).toHaveLength(2);
    expect(parseMeshYaml(text)).toEqual(first);
    expect(stringifyMeshYaml(parseMeshYaml(text).objects)).toBe(text);
  });

  it("writes an object shared by reference twice in full, with no YAML anchors", () => {
    const destination = { host: "reviews", subset: "v1" };
    const vs: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "reviews", namespace: "bookinfo" },
      spec: { hosts: ["reviews"], http: [{ route: [{ destination }], mirror: destination }] },
    };
    const text = stringifyMeshYaml([vs]);
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parseMeshYaml(text).objects).toEqual([vs]);
  });

  it("quotes strings that YAML would otherwise read as other types", () => {
    const vs: VirtualService = {
      apiVersion: "networking.istio.io/v1",
      kind: "VirtualService",
      metadata: { name: "r", namespace: "n", labels: { version: "1.0", enabled: "true", empty: "" } },
      spec: { hosts: ["reviews"] },
    };
    expect(parseMeshYaml(stringifyMeshYaml([vs])).objects).toEqual([vs]);
  });

  it("writes nothing for no objects", () => {
    expect(stringifyMeshYaml([])).toBe("");
  });
});
