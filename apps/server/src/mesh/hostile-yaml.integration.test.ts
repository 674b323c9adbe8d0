/**
 * Mesh config from hostile hands: object names that try to leave the config directory, YAML alias bombs, deeply
 * nested and oversized documents, through the HTTP API and through files dropped into the directory. Each is
 * refused with a 4xx that names the problem (or reported as a file error), nothing is written outside the
 * directory, and the server keeps serving.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { MeshObjectsResponse } from "@meshscope/model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { call, errorOf } from "./mesh-api.testing.js";

const DR_YAML = (name: string, namespace = "bookinfo") => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${JSON.stringify(name)}
  namespace: ${JSON.stringify(namespace)}
spec:
  host: details
`;

/** Nine levels of ten aliases each: 10^9 nodes once expanded. */
function aliasBomb(): string {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
  }
  return `${levels.join("\n")}\n`;
}

/** A DestinationRule whose spec carries an alias bomb: the document is an object until expanded. */
const BOMB_IN_OBJECT = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: details, namespace: bookinfo}
spec:
  host: details
${aliasBomb()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}`;

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe("hostile mesh config", () => {
  let server: TestServer;
  /** The server's temporary directory: the config directory and the database sit inside it. */
  let root: string;
  let configDir: string;
  /** A sibling of the config directory: where an escaping name would land. */
  let outside: string;
  const url = (p: string) => `${server.consoleUrl}${p}`;
  const objects = async () => (await call(MeshObjectsResponse, "GET", url("/api/mesh/objects"))).body;
  const send = (method: string, p: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(url(p), { method, body, headers });
  /** A request with its path exactly as given (node:http does not normalise it), YAML body if any. */
  const raw = (method: string, p: string, yaml?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.running.ports.console ?? 0,
          path: p,
          method,
          headers: yaml === undefined ? {} : { "content-type": "application/yaml" },
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end(yaml);
    });

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), "meshscope-hostile-"));
    configDir = path.join(root, "config", "mesh");
    outside = path.join(root, "config");
    mkdirSync(configDir, { recursive: true });
    server = await startTestServer({ meshConfigDir: configDir });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const entry of readdirSync(configDir)) rmSync(path.join(configDir, entry), { recursive: true, force: true });
  });

  describe("names that could leave the config directory", () => {
    const BAD: readonly (readonly [string, string])[] = [
      ["a parent reference", ".."],
      ["an encoded parent path", "..%2F..%2Fescaped"],
      ["encoded dots", "%2e%2e"],
      ["an absolute path", "%2Ftmp%2Fescaped"],
      ["a backslash path", "..%5C..%5Cescaped"],
      ["a NUL byte", "details%00.yaml"],
      ["a name over 253 characters", "a".repeat(254)],
      ["capitals", "Details"],
      ["an underscore", "my_rule"],
      ["a leading dash", "-details"],
      ["a dot file", ".hidden"],
      ["a space", "my%20rule"],
      ["unicode", "d%C3%A9tails"],
    ];

    const refusedEverywhere = async (refs: readonly string[]) => {
      for (const ref of refs) {
        for (const method of ["PUT", "GET", "DELETE"]) {
          // Sent as written: fetch would resolve `..` and `%2e%2e` before the server saw them.
          const res = await raw(method, `/api/mesh/objects/${ref}`, method === "PUT" ? DR_YAML("details") : undefined);
          expect(res.status, `${method} ${ref.slice(0, 80)}`).toBe(400);
          expect(res.body).toMatch(/"code":"invalid_request"/);
        }
      }
      expect(filesUnder(outside)).toEqual([]);
    };

    it.each(BAD)("refuses %s as namespace or name with 400 and writes nothing", async (_what, bad) => {
      await refusedEverywhere([
        `DestinationRule/bookinfo/${bad}`,
        `DestinationRule/${bad}/details`,
        `${bad}/bookinfo/x`,
      ]);
    });

    it("refuses a namespace over 63 characters (a valid name) with 400 and writes nothing", async () => {
      await refusedEverywhere([`DestinationRule/${"n".repeat(64)}/details`]);
    });

    it("refuses a body whose own name or namespace is not a Kubernetes name, writing nothing", async () => {
      for (const [name, namespace] of [
        ["../../escaped", "bookinfo"],
        ["details", "../.."],
        ["/tmp/escaped", "bookinfo"],
        ["details\u0000x", "bookinfo"],
      ] as const) {
        const validate = await raw("POST", "/api/mesh/validate", DR_YAML(name, namespace));
        expect([200, 400]).toContain(validate.status);
        const put = await raw("PUT", "/api/mesh/objects/DestinationRule/bookinfo/details", DR_YAML(name, namespace));
        expect(put.status).toBe(400);
      }
      expect(filesUnder(outside)).toEqual([]);
    });

    it("refuses a wizard whose target is not a Kubernetes name, writing nothing", async () => {
      for (const [namespace, service] of [
        ["bookinfo", "../../escaped"],
        ["../..", "reviews"],
        ["bookinfo", "/tmp/escaped"],
      ] as const) {
        const res = await fetch(url("/api/mesh/wizards/mtls"), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ namespace, service, mode: "STRICT" }),
        });
        expect([400, 422], `${namespace}/${service}`).toContain(res.status);
        await res.arrayBuffer();
      }
      expect(filesUnder(outside)).toEqual([]);
    });
  });

  describe("YAML bombs and oversized bodies through the API", () => {
    it("refuses an alias bomb with 400 naming the aliases, through PUT and validate", async () => {
      for (const [method, p] of [
        ["PUT", "/api/mesh/objects/DestinationRule/bookinfo/details"],
        ["POST", "/api/mesh/validate"],
      ] as const) {
        for (const yaml of [aliasBomb(), BOMB_IN_OBJECT]) {
          const started = Date.now();
          const res = await errorOf(method, url(p), { yaml });
          expect(res.status, method).toBe(400);
          expect(res.body.error.code).toBe("invalid_yaml");
          expect(res.body.error.message).toMatch(/alias/i);
          // Refused before expanding: a billion nodes would take minutes and gigabytes.
          expect(Date.now() - started).toBeLessThan(10_000);
        }
      }
      expect(filesUnder(configDir)).toEqual([]);
    });

    it("finds a repeated key in one huge mapping without comparing every key with every other", async () => {
      // 60,000 keys (~0.6 MiB): yaml's own pairwise check took minutes on it, holding the event loop.
      const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: v`);
      const yaml = `${DR_YAML("details")}  extra:\n${keys.join("\n")}\n  k0: again\n`;
      const res = await errorOf("POST", url("/api/mesh/validate"), { yaml });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/line 60009: Map keys must be unique/);
      expect((await fetch(url("/healthz"))).status).toBe(200);
    });

    it("refuses deeply nested YAML and JSON with 4xx, not a server error", async () => {
      const depth = 100_000;
      const cases = [
        ["application/yaml", `${"[".repeat(depth)}${"]".repeat(depth)}`],
        [
          "application/yaml",
          `spec:\n${Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i + 1)}a:`).join("\n")} x\n`,
        ],
        ["application/json", `{"objects":${"[".repeat(depth)}${"]".repeat(depth)}}`],
        ["application/json", `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`],
      ] as const;
      for (const [type, body] of cases) {
        for (const p of [
          "/api/mesh/validate",
          "/api/mesh/objects/DestinationRule/bookinfo/details",
          "/api/mesh/wizards/circuit-breaker?dryRun=true",
        ]) {
          if (p.includes("wizards") && type !== "application/json") continue;
          const res = await send(p.includes("objects") ? "PUT" : "POST", p, body, { "content-type": type });
          expect(res.status, `${type} ${body.slice(0, 20)} ${p}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${type} ${body.slice(0, 20)} ${p}`).toBeLessThan(500);
          await res.arrayBuffer();
        }
      }
      expect((await objects()).objects).toEqual([]);
    });

    it("answers 413 naming the limit for a body over 1 MiB, as sent or once inflated, on every body route", async () => {
      const big = `# ${"x".repeat(1024 * 1024)}\n${DR_YAML("details")}`;
      const bigJson = JSON.stringify({ namespace: "bookinfo", service: "reviews", pad: "x".repeat(1024 * 1024) });
      const routes = [
        ["PUT", "/api/mesh/objects/DestinationRule/bookinfo/details", "application/yaml", big],
        ["POST", "/api/mesh/validate", "application/yaml", big],
        ["POST", "/api/mesh/validate", "application/json", bigJson],
        ["POST", "/api/mesh/wizards/mtls?dryRun=true", "application/json", bigJson],
        ["POST", "/api/mesh/revisions/0/rollback", "application/json", bigJson],
      ] as const;
      for (const [method, p, type, body] of routes) {
        for (const gzip of [false, true]) {
          const headers: Record<string, string> = { "content-type": type };
          if (gzip) headers["content-encoding"] = "gzip";
          // Gzipped, 1 MiB of one letter is a few KiB on the wire: the limit must hold after inflating.
          const res = await send(method, p, gzip ? gzipSync(body) : body, headers);
          const what = `${method} ${p}${gzip ? " (gzip)" : ""}`;
          expect(res.status, what).toBe(413);
          const envelope: unknown = await res.json();
          expect(envelope, what).toEqual({
            error: { code: "too_large", message: "request body exceeds the limit of 1 MiB" },
          });
        }
      }
      expect(filesUnder(configDir)).toEqual([]);
      expect((await objects()).objects).toEqual([]);
    });
  });

  describe("hostile files dropped into the config directory", () => {
    const drop = (rel: string, text: string | Buffer) => {
      mkdirSync(path.dirname(path.join(configDir, rel)), { recursive: true });
      writeFileSync(path.join(configDir, rel), text);
    };
    const fileErrorsFor = async (source: string) => (await objects()).fileErrors.filter((e) => e.source === source);

    it("reports an alias bomb, deep nesting and an oversized file as file errors and serves the other objects", async () => {
      drop("bookinfo/details.yaml", DR_YAML("details"));
      drop("bookinfo/bomb.yaml", BOMB_IN_OBJECT);
      drop("bookinfo/deep.yaml", `${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
      drop("bookinfo/huge.yaml", Buffer.alloc(5 * 1024 * 1024, "#"));
      await expect.poll(async () => (await objects()).fileErrors.length, { timeout: 15_000 }).toBe(3);
      expect((await fileErrorsFor("bookinfo/bomb.yaml"))[0]?.message).toMatch(/alias/i);
      expect((await fileErrorsFor("bookinfo/deep.yaml"))[0]?.message).toBeTruthy();
      expect((await fileErrorsFor("bookinfo/huge.yaml"))[0]?.message).toMatch(/larger than/);
      expect((await objects()).objects.map((o) => o.source)).toEqual(["bookinfo/details.yaml"]);
      expect((await fetch(url("/healthz"))).status).toBe(200);
    });

    it("edits an object in a file that also holds an alias bomb, keeping the bomb as written and reported", async () => {
      const bomb = `# kept as written\n${aliasBomb()}`;
      drop("bookinfo/mine.yaml", `${bomb}---\n${DR_YAML("details")}`);
      await expect
        .poll(async () => (await objects()).objects.map((o) => o.source), { timeout: 15_000 })
        .toEqual(["bookinfo/mine.yaml"]);
      const yaml = DR_YAML("details").replace("host: details", "host: details.bookinfo.svc.cluster.local");
      const put = await raw("PUT", "/api/mesh/objects/DestinationRule/bookinfo/details?confirmOverwrite=true", yaml);
      expect(put.status).toBe(200);
      const text = readFileSync(path.join(configDir, "bookinfo", "mine.yaml"), "utf8");
      expect(text.startsWith(bomb)).toBe(true);
      expect(text).toContain("host: details.bookinfo.svc.cluster.local");
      expect((await fileErrorsFor("bookinfo/mine.yaml"))[0]?.message).toMatch(/alias/i);
    });
  });
});
