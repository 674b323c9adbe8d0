import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { checkIstioSchema, parseMeshYaml } from "@meshscope/mesh-config";
import {
  ConfiguredVsObserved,
  GraphResponse,
  MeshObjectEntry,
  MeshObjectsResponse,
  RevisionDetail,
  RevisionsResponse,
  ValidateResponse,
  WIZARDS,
  WizardResponse,
} from "@meshscope/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { bookinfo } from "../test-support/graph-traffic.js";
import {
  call,
  crdFileProblems,
  errorOf,
  type MeshTestServer,
  pushTraffic,
  startMeshTestServer,
  WIZARD_BODIES,
} from "./mesh-api.testing.js";

/** A refused apply: the error envelope plus the preview the person must see. */
const Refusal = WizardResponse.extend({ error: z.object({ code: z.string(), message: z.string() }) });

const REVIEWS_BY_HAND = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: bookinfo
spec:
  hosts: [reviews]
  http:
    - route:
        - destination: {host: reviews}
`;

function vsYaml(name: string, subset: string, extra = ""): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: bookinfo
  labels: {app.kubernetes.io/managed-by: meshscope}
spec:
  hosts: [${name}]
  http:
    - route:
        - destination: {host: ${name}, subset: ${subset}}
${extra}`;
}

const DR_YAML = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: details
  namespace: bookinfo
  labels: {app.kubernetes.io/managed-by: meshscope}
spec:
  host: details
  subsets:
    - name: v1
      labels: {version: v1}
`;

describe("the mesh-config API", () => {
  let t: MeshTestServer;
  let trafficEndMs: number;
  beforeAll(async () => {
    t = await startMeshTestServer();
    // Bookinfo's traffic over the last minute: the inventory then knows its services and versions.
    trafficEndMs = Date.now();
    await pushTraffic(t.server, bookinfo(), trafficEndMs);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    for (const entry of readdirSync(t.configDir))
      rmSync(path.join(t.configDir, entry), { recursive: true, force: true });
  });

  const wizardUrl = (name: string, dryRun: boolean) => t.url(`/api/mesh/wizards/${name}?dryRun=${dryRun}`);
  const fileOf = (ref: { kind: string; namespace: string; name: string }) =>
    path.join(t.configDir, ref.namespace, `${ref.kind.toLowerCase()}-${ref.name}.yaml`);
  const put = (ref: string, yaml: string, query = "") =>
    call(z.union([Refusal, WizardResponse]), "PUT", t.url(`/api/mesh/objects/${ref}${query}`), { yaml });

  describe.each(WIZARDS)("the %s wizard", (name) => {
    it("previews, validates, applies, writes each object to its file, reads it back equal and records a revision", async () => {
      const body = WIZARD_BODIES[name];
      const preview = await call(WizardResponse, "POST", wizardUrl(name, true), { json: body });
      expect(preview.status).toBe(200);
      expect(preview.body.applied).toBe(false);
      expect(preview.body.objects.length).toBeGreaterThan(0);
      expect(preview.body.changes.every((c) => c.action === "create")).toBe(true);
      expect(preview.body.diff).toContain("+++ ");
      // A preview writes nothing.
      expect(readdirSync(t.configDir)).toEqual([]);

      const validated = await call(ValidateResponse, "POST", t.url("/api/mesh/validate"), { yaml: preview.body.yaml });
      const errors = validated.body.results.flatMap((r) => r.validation).filter((v) => v.severity === "error");
      expect(errors).toEqual([]);

      const applied = await call(WizardResponse, "POST", wizardUrl(name, false), { json: body });
      expect(applied.status).toBe(200);
      expect(applied.body.applied).toBe(true);
      expect(applied.body.revision).not.toBeNull();

      for (const object of applied.body.objects) {
        expect(checkIstioSchema(object)).toEqual([]);
        expect(crdFileProblems(object) ?? []).toEqual([]);
        const parsed = parseMeshYaml(JSON.stringify(object));
        const ref = parsed.objects[0];
        if (!ref) throw new Error(`the answer holds an unreadable object: ${JSON.stringify(parsed.errors)}`);
        const file = fileOf({ kind: ref.kind, ...ref.metadata });
        expect(existsSync(file), file).toBe(true);
        expect(parseMeshYaml(readFileSync(file, "utf8")).objects).toEqual([object]);
      }

      const revisions = await call(RevisionsResponse, "GET", t.url("/api/mesh/revisions"));
      const latest = revisions.body.revisions[0];
      expect(latest).toMatchObject({ id: applied.body.revision, wizard: name, author: "anonymous", rollbackOf: null });
      expect(latest?.objects.length).toBe(applied.body.objects.length);
    });
  });

  it("refuses to overwrite an object it did not write until the caller confirms, showing the diff", async () => {
    mkdirSync(path.join(t.configDir, "bookinfo"));
    const file = path.join(t.configDir, "bookinfo", "reviews.yaml");
    writeFileSync(file, REVIEWS_BY_HAND);
    const body = WIZARD_BODIES["traffic-shifting"];
    const refused = await call(Refusal, "POST", wizardUrl("traffic-shifting", false), { json: body });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("overwrite_unmanaged");
    const change = refused.body.changes.find((c) => c.ref.kind === "VirtualService");
    expect(change).toMatchObject({ action: "update", unmanaged: true });
    expect(refused.body.diff).toContain("-");
    expect(readFileSync(file, "utf8")).toBe(REVIEWS_BY_HAND);

    const confirmed = await call(WizardResponse, "POST", wizardUrl("traffic-shifting", false), {
      json: { ...body, confirmOverwrite: true, message: "canary 20% to v3" },
    });
    expect(confirmed.body.applied).toBe(true);
    // Updated where the user keeps it, not in a second file.
    const vs = parseMeshYaml(readFileSync(file, "utf8"), { defaultNamespace: "bookinfo" }).objects[0];
    expect(vs?.kind === "VirtualService" && vs.spec.http?.[0]?.route?.map((r) => r.weight)).toEqual([80, 20]);
    expect(existsSync(path.join(t.configDir, "bookinfo", "virtualservice-reviews.yaml"))).toBe(false);
    const detail = await call(RevisionDetail, "GET", t.url(`/api/mesh/revisions/${confirmed.body.revision}`));
    expect(detail.body.message).toBe("canary 20% to v3");
    expect(detail.body.changes.find((c) => c.ref.kind === "VirtualService")?.before).toContain("reviews");
  });

  it("refuses config with validation errors with 422 and the findings, writing nothing", async () => {
    const refused = await put("VirtualService/bookinfo/details", vsYaml("details", "v9"));
    expect(refused.status).toBe(422);
    const body = Refusal.parse(refused.body);
    expect(body.error.code).toBe("invalid_config");
    expect(body.validation.map((v) => v.code)).toContain("MS0101");
    expect(readdirSync(t.configDir)).toEqual([]);
  });

  it("creates, reads, replaces and deletes one object, each change a revision", async () => {
    const createdDr = await put("DestinationRule/bookinfo/details", DR_YAML);
    expect(createdDr.status).toBe(200);
    const created = await put("VirtualService/bookinfo/details", vsYaml("details", "v1"));
    expect(created.status).toBe(200);
    const read = await call(MeshObjectEntry, "GET", t.url("/api/mesh/objects/VirtualService/bookinfo/details"));
    expect(read.body).toMatchObject({ source: "bookinfo/virtualservice-details.yaml", managed: true, validation: [] });

    const json = {
      ...read.body.object,
      spec: {
        hosts: ["details"],
        http: [{ route: [{ destination: { host: "details", subset: "v1" } }], timeout: "3s" }],
      },
    };
    const replaced = await call(WizardResponse, "PUT", t.url("/api/mesh/objects/virtualservice/bookinfo/details"), {
      json,
    });
    expect(replaced.body.changes.map((c) => c.action)).toEqual(["update"]);
    expect(readFileSync(fileOf({ kind: "VirtualService", namespace: "bookinfo", name: "details" }), "utf8")).toContain(
      "timeout: 3s",
    );

    const deleted = await call(WizardResponse, "DELETE", t.url("/api/mesh/objects/VirtualService/bookinfo/details"));
    expect(deleted.body.changes.map((c) => c.action)).toEqual(["delete"]);
    expect(existsSync(fileOf({ kind: "VirtualService", namespace: "bookinfo", name: "details" }))).toBe(false);
    const missing = await errorOf("GET", t.url("/api/mesh/objects/VirtualService/bookinfo/details"));
    expect(missing.status).toBe(404);

    const { body } = await call(RevisionsResponse, "GET", t.url("/api/mesh/revisions?limit=3"));
    expect(body.revisions.map((r) => r.objects[0]?.action)).toEqual(["delete", "update", "create"]);
  });

  it("refuses a body that names another object than the URL", async () => {
    const res = await errorOf("PUT", t.url("/api/mesh/objects/VirtualService/bookinfo/ratings"), {
      yaml: vsYaml("details", "v1"),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/details.*ratings/);
  });

  it("rolls back to a revision: the files look as they did right after it, recorded as a new revision", async () => {
    const baseline = await put("DestinationRule/bookinfo/details", DR_YAML);
    const shift = (v1: number, v3: number) =>
      call(WizardResponse, "POST", wizardUrl("traffic-shifting", false), {
        json: {
          ...WIZARD_BODIES["traffic-shifting"],
          weights: [
            { version: "v1", weight: v1 },
            { version: "v3", weight: v3 },
          ],
        },
      });
    const first = await shift(80, 20);
    const vsFile = fileOf({ kind: "VirtualService", namespace: "bookinfo", name: "reviews" });
    const afterFirst = readFileSync(vsFile, "utf8");
    await shift(50, 50);
    expect(readFileSync(vsFile, "utf8")).not.toBe(afterFirst);

    const rolled = await call(RevisionDetail, "POST", t.url(`/api/mesh/revisions/${first.body.revision}/rollback`));
    expect(rolled.status).toBe(200);
    expect(rolled.body.rollbackOf).toBe(first.body.revision);
    expect(rolled.body.changes.map((c) => c.action)).toEqual(["update"]);
    expect(readFileSync(vsFile, "utf8")).toBe(afterFirst);
    const again = await errorOf("POST", t.url(`/api/mesh/revisions/${first.body.revision}/rollback`));
    expect(again.status).toBe(409);

    // Back to before the first shift: what it created is deleted, what came before stays.
    await call(
      RevisionDetail,
      "POST",
      t.url(`/api/mesh/revisions/${Refusal.or(WizardResponse).parse(baseline.body).revision}/rollback`),
    );
    expect(existsSync(vsFile)).toBe(false);
    expect(existsSync(fileOf({ kind: "DestinationRule", namespace: "bookinfo", name: "reviews" }))).toBe(false);
    expect(existsSync(fileOf({ kind: "DestinationRule", namespace: "bookinfo", name: "details" }))).toBe(true);
    expect((await errorOf("POST", t.url("/api/mesh/revisions/999999/rollback"))).status).toBe(404);

    // Revision 0 is "before any revision": even the first recorded change can be undone.
    const none = await call(RevisionDetail, "POST", t.url("/api/mesh/revisions/0/rollback"));
    expect(none.status).toBe(200);
    expect(none.body.rollbackOf).toBe(0);
    expect(existsSync(fileOf({ kind: "DestinationRule", namespace: "bookinfo", name: "details" }))).toBe(false);
  });

  it("reports a hand-edited file that does not parse and still serves the other objects", async () => {
    mkdirSync(path.join(t.configDir, "bookinfo"));
    writeFileSync(path.join(t.configDir, "bookinfo", "broken.yaml"), "kind: VirtualService\nspec: {http: [\n");
    writeFileSync(path.join(t.configDir, "bookinfo", "details.yaml"), DR_YAML);
    const list = async () => (await call(MeshObjectsResponse, "GET", t.url("/api/mesh/objects"))).body;
    await expect.poll(async () => (await list()).fileErrors.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const body = await list();
    expect(body.objects.map((o) => [o.ref.kind, o.ref.name, o.source])).toEqual([
      ["DestinationRule", "details", "bookinfo/details.yaml"],
    ]);
    expect(new Set(body.fileErrors.map((e) => e.source))).toEqual(new Set(["bookinfo/broken.yaml"]));
    expect(body.fileErrors[0]?.line).toBe(3);
  });

  it("picks up an edit made outside the console", async () => {
    await put("DestinationRule/bookinfo/details", DR_YAML);
    const file = fileOf({ kind: "DestinationRule", namespace: "bookinfo", name: "details" });
    writeFileSync(
      file,
      DR_YAML.replace("labels: {version: v1}", "labels: {version: v1}\n    - name: v2\n      labels: {version: v2}"),
    );
    await expect
      .poll(
        async () => {
          const entry = await call(MeshObjectEntry, "GET", t.url("/api/mesh/objects/DestinationRule/bookinfo/details"));
          return entry.body.yaml;
        },
        { timeout: 10_000 },
      )
      .toContain("name: v2");
  });

  it("filters objects by namespace and kind", async () => {
    await put("DestinationRule/bookinfo/details", DR_YAML);
    await put("VirtualService/bookinfo/details", vsYaml("details", "v1"));
    const list = (q: string) => call(MeshObjectsResponse, "GET", t.url(`/api/mesh/objects${q}`));
    expect((await list("?kind=DestinationRule")).body.objects.map((o) => o.ref.kind)).toEqual(["DestinationRule"]);
    expect((await list("?namespace=other")).body.objects).toEqual([]);
    expect((await list("?namespace=bookinfo")).body.objects).toHaveLength(2);
    expect((await errorOf("GET", t.url("/api/mesh/objects?kind=Pod"))).status).toBe(400);
  });

  it("validates objects against each other and against the target, as YAML or JSON", async () => {
    await put("DestinationRule/bookinfo/details", DR_YAML);
    const vs = vsYaml("details", "v1");
    const ok = await call(ValidateResponse, "POST", t.url("/api/mesh/validate"), { yaml: vs });
    expect(ok.body.results).toEqual([
      { object: { kind: "VirtualService", namespace: "bookinfo", name: "details" }, validation: [] },
    ]);
    const missingSubset = vsYaml("ratings", "v7");
    const bad = await call(ValidateResponse, "POST", t.url("/api/mesh/validate"), {
      yaml: `${missingSubset}---\n${vs}`,
    });
    expect(bad.body.results.map((r) => r.validation.map((v) => v.code))).toEqual([["MS0101"], []]);
    const asJson = await call(ValidateResponse, "POST", t.url("/api/mesh/validate"), {
      json: { objects: parseMeshYaml(missingSubset).objects },
    });
    expect(asJson.body.results[0]?.validation[0]?.code).toBe("MS0101");
  });

  it("shows the configured weights next to the observed split", async () => {
    await call(WizardResponse, "POST", wizardUrl("traffic-shifting", false), {
      json: WIZARD_BODIES["traffic-shifting"],
    });
    const query = `namespace=bookinfo&service=reviews&window=60&end=${trafficEndMs * 1000}`;
    const res = await call(ConfiguredVsObserved, "GET", t.url(`/api/mesh/observed?${query}`));
    expect(res.status).toBe(200);
    const byVersion = new Map(res.body.versions.map((v) => [v.version, v]));
    expect(byVersion.get("v1")?.configuredWeight).toBe(80);
    expect(byVersion.get("v3")?.configuredWeight).toBe(20);
    // bookinfo(): reviews v1 4 rps, v2 and v3 3 rps each.
    expect(byVersion.get("v1")?.observedShare).toBeCloseTo(40, 0);
    expect((await errorOf("GET", t.url("/api/mesh/observed?namespace=bookinfo"))).status).toBe(400);
  });

  it("badges the graph's nodes from the applied config", async () => {
    await call(WizardResponse, "POST", wizardUrl("traffic-shifting", false), {
      json: WIZARD_BODIES["traffic-shifting"],
    });
    const graph = await call(
      GraphResponse,
      "GET",
      t.url("/api/graph?type=versionedApp&namespaces=bookinfo&window=120"),
    );
    const reviews = graph.body.nodes.filter((n) => n.app === "reviews" || n.service === "reviews");
    expect(reviews.length).toBeGreaterThan(1);
    for (const n of reviews) expect(n.badges).toEqual(expect.arrayContaining(["virtualService", "trafficShifting"]));
    const productpage = graph.body.nodes.find((n) => n.app === "productpage");
    expect(productpage?.badges).toEqual([]);
  });

  it("answers 502 with the target's words when it cannot write, records nothing, and keeps serving", async () => {
    // A file where the namespace folder should be: the write fails the way a read-only mount would.
    writeFileSync(path.join(t.configDir, "bookinfo"), "not a folder");
    const before = (await call(RevisionsResponse, "GET", t.url("/api/mesh/revisions"))).body.revisions[0]?.id;
    const res = await errorOf("PUT", t.url("/api/mesh/objects/DestinationRule/bookinfo/details"), { yaml: DR_YAML });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("target_failed");
    expect(res.body.error.message).toMatch(/^files target: /);
    expect((await call(RevisionsResponse, "GET", t.url("/api/mesh/revisions"))).body.revisions[0]?.id).toBe(before);
    expect((await call(MeshObjectsResponse, "GET", t.url("/api/mesh/objects"))).status).toBe(200);
  });

  describe("bad requests", () => {
    it("answers 400 naming the problem for YAML that does not parse, and keeps serving", async () => {
      const res = await errorOf("POST", t.url("/api/mesh/validate"), { yaml: "kind: VirtualService\nspec: [\n" });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_yaml");
      expect(res.body.error.message).toMatch(/line \d+/);
      expect((await call(MeshObjectsResponse, "GET", t.url("/api/mesh/objects"))).status).toBe(200);
    });

    it("answers 400 for JSON that does not parse or is not an object", async () => {
      const res = await fetch(t.url("/api/mesh/wizards/traffic-shifting?dryRun=true"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"namespace": ',
      });
      expect(res.status).toBe(400);
      const wrongShape = await errorOf("POST", t.url("/api/mesh/validate"), { json: { objects: [{ kind: 3 }] } });
      expect(wrongShape.status).toBe(400);
      expect(wrongShape.body.error.message).toMatch(/objects\[0\]/);
    });

    it("answers 400 for a wizard body the wizard cannot use, naming the field", async () => {
      const res = await errorOf("POST", wizardUrl("traffic-shifting", true), {
        json: { ...WIZARD_BODIES["traffic-shifting"], weights: [{ version: "v1", weight: 70 }] },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/weights/);
      expect((await errorOf("POST", wizardUrl("no-such-wizard", true), { json: {} })).status).toBe(404);
    });

    it("answers 413 for a body over 1 MiB and 415 for an unknown content type, and keeps serving", async () => {
      const big = `# ${"x".repeat(1024 * 1024 + 10)}\n${DR_YAML}`;
      expect(
        (await errorOf("PUT", t.url("/api/mesh/objects/DestinationRule/bookinfo/details"), { yaml: big })).status,
      ).toBe(413);
      const res = await fetch(t.url("/api/mesh/validate"), {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: "a,b",
      });
      expect(res.status).toBe(415);
      expect((await call(MeshObjectsResponse, "GET", t.url("/api/mesh/objects"))).status).toBe(200);
    });

    it("answers 400 for names that are not Kubernetes names and 404 for unknown revisions", async () => {
      expect((await errorOf("GET", t.url("/api/mesh/objects/VirtualService/bookinfo/..%2Fetc"))).status).toBe(400);
      expect((await errorOf("GET", t.url("/api/mesh/objects/Pod/bookinfo/x"))).status).toBe(400);
      expect((await errorOf("GET", t.url("/api/mesh/revisions/424242"))).status).toBe(404);
      expect((await errorOf("GET", t.url("/api/mesh/revisions/abc"))).status).toBe(400);
    });
  });
});
