/**
 * Token mode end to end (issue #8, DESIGN §6): a real server with a tokens file, called over HTTP like the web UI,
 * curl or Grafana would: bearer tokens per role, the login form's cookie session with its CSRF token, the Origin
 * check, logout, and the failed-login limit.
 */
import { AuthMeResponse, ErrorEnvelope, LoginResponse, RevisionDetail, WizardResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushTraffic, WIZARD_BODIES } from "../mesh/mesh-api.testing.js";
import { bookinfo } from "../test-support/graph-traffic.js";
import { type AuthTestServer, bearer, cookiePair, startAuthTestServer, TOKEN_NAMES } from "./auth.testing.js";

const READS = [
  "/api/graph?type=versionedApp",
  "/api/services",
  "/api/traces",
  "/api/mesh/objects",
  "/api/mesh/revisions",
  "/jaeger/api/services",
];
const WIZARD = "/api/mesh/wizards/traffic-shifting";
const wizardInit = (headers: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(WIZARD_BODIES["traffic-shifting"]),
});

async function errorCode(res: Response): Promise<string> {
  return ErrorEnvelope.parse(await res.json()).error.code;
}

describe("token mode", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    t = await startAuthTestServer(["--auth", "token"]);
    // Bookinfo's traffic, so the inventory knows reviews' versions and the wizard can apply.
    await pushTraffic(t.server, bookinfo(), Date.now());
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe("with bearer tokens", () => {
    it("lets a viewer read every read route", async () => {
      for (const p of READS) {
        const res = await fetch(t.url(p), { headers: bearer(t.tokens.viewer) });
        expect(res.status, p).toBe(200);
      }
    });

    it("answers 401 with WWW-Authenticate to a caller without credentials, or with an unknown token", async () => {
      for (const p of READS) {
        const res = await fetch(t.url(p));
        expect(res.status, p).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('Bearer realm="meshscope"');
        expect(await errorCode(res)).toBe("unauthenticated");
      }
      const wrong = await fetch(t.url("/api/services"), { headers: bearer("not-a-token") });
      expect(wrong.status).toBe(401);
      const noCreds = await fetch(t.url(WIZARD), wizardInit({}));
      expect(noCreds.status).toBe(401);
    });

    it("keeps the health, readiness and metrics endpoints and the UI public", async () => {
      for (const p of ["/healthz", "/readyz", "/metrics", "/", "/graph"]) {
        expect((await fetch(t.url(p))).status, p).toBe(200);
      }
    });

    it("refuses a viewer's wizard apply with 403 naming both roles", async () => {
      const res = await fetch(t.url(WIZARD), wizardInit(bearer(t.tokens.viewer)));
      expect(res.status).toBe(403);
      const body = ErrorEnvelope.parse(await res.json());
      expect(body.error.code).toBe("forbidden");
      expect(body.error.message).toContain("editor");
      expect(body.error.message).toContain("viewer");
    });

    it("lets a viewer validate YAML: POST /api/mesh/validate changes nothing", async () => {
      const res = await fetch(t.url("/api/mesh/validate"), {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(t.tokens.viewer) },
        body: JSON.stringify({ objects: [] }),
      });
      expect(res.status).toBe(200);
    });

    it("applies an editor's wizard and records the editor's token name as the revision's author", async () => {
      const res = await fetch(t.url(WIZARD), wizardInit(bearer(t.tokens.editor)));
      expect(res.status).toBe(200);
      const applied = WizardResponse.parse(await res.json());
      expect(applied.applied).toBe(true);
      const rev = await fetch(t.url(`/api/mesh/revisions/${applied.revision}`), { headers: bearer(t.tokens.viewer) });
      expect(rev.status).toBe(200);
      expect(RevisionDetail.parse(await rev.json()).author).toBe(TOKEN_NAMES.editor);
    });

    it("does not let an ingest token read or change anything", async () => {
      const read = await fetch(t.url("/api/services"), { headers: bearer(t.tokens.ingest) });
      expect(read.status).toBe(403);
      const login = await fetch(t.url("/api/auth/login"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: t.tokens.ingest }),
      });
      expect(login.status).toBe(401);
    });

    it("classifies paths as express routes them: case and trailing slashes do not open a route", async () => {
      const res = await fetch(t.url("/API/Mesh/Wizards/traffic-shifting/"), wizardInit(bearer(t.tokens.viewer)));
      expect(res.status).toBe(403);
      expect((await fetch(t.url("/API/services"))).status).toBe(401);
    });
  });

  describe("with a login session", () => {
    const loginInit = (token: string): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });

    it("describes the mode and the sign-in method to a caller who is not signed in", async () => {
      const me = AuthMeResponse.parse(await (await fetch(t.url("/api/auth/me"))).json());
      expect(me).toEqual({ mode: "token", user: null, csrfToken: null, loginMethods: ["token"] });
    });

    it("signs in with an HttpOnly, SameSite=Lax cookie, needs the CSRF header for changes, and ends at logout", async () => {
      const login = await fetch(t.url("/api/auth/login"), loginInit(t.tokens.editor));
      expect(login.status).toBe(200);
      const { user, csrfToken } = LoginResponse.parse(await login.json());
      expect(user).toEqual({ name: TOKEN_NAMES.editor, role: "editor", via: "session" });
      const setCookie = login.headers.get("set-cookie") ?? "";
      expect(setCookie).toMatch(/^meshscope_session=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/; HttpOnly/i);
      expect(setCookie).toMatch(/; SameSite=Lax/i);
      expect(setCookie).toMatch(/; Path=\//i);
      // The public URL is plain http here: a Secure cookie would never be sent back.
      expect(setCookie).not.toMatch(/Secure/i);
      const cookie = cookiePair(setCookie);

      const me = AuthMeResponse.parse(await (await fetch(t.url("/api/auth/me"), { headers: { cookie } })).json());
      expect(me.user).toEqual(user);
      expect(me.csrfToken).toBe(csrfToken);
      expect((await fetch(t.url("/api/services"), { headers: { cookie } })).status).toBe(200);

      const noCsrf = await fetch(t.url(WIZARD), wizardInit({ cookie }));
      expect(noCsrf.status).toBe(403);
      expect(await errorCode(noCsrf)).toBe("csrf");
      const wrongCsrf = await fetch(t.url(WIZARD), wizardInit({ cookie, "x-csrf-token": `${csrfToken}x` }));
      expect(await errorCode(wrongCsrf)).toBe("csrf");

      const ok = await fetch(t.url(`${WIZARD}?dryRun=true`), wizardInit({ cookie, "x-csrf-token": csrfToken }));
      expect(ok.status).toBe(200);
      const sameOrigin = await fetch(
        t.url(`${WIZARD}?dryRun=true`),
        wizardInit({ cookie, "x-csrf-token": csrfToken, origin: t.server.consoleUrl }),
      );
      expect(sameOrigin.status).toBe(200);
      const crossOrigin = await fetch(
        t.url(`${WIZARD}?dryRun=true`),
        wizardInit({ cookie, "x-csrf-token": csrfToken, origin: "https://evil.example" }),
      );
      expect(crossOrigin.status).toBe(403);
      expect(await errorCode(crossOrigin)).toBe("csrf");

      const logout = await fetch(t.url("/api/auth/logout"), { method: "POST", headers: { cookie } });
      expect(logout.status).toBe(204);
      expect(logout.headers.get("set-cookie") ?? "").toMatch(/^meshscope_session=;.*Expires=Thu, 01 Jan 1970/i);
      // The old cookie, replayed after logout, is worth nothing.
      expect((await fetch(t.url("/api/services"), { headers: { cookie } })).status).toBe(401);
      const after = AuthMeResponse.parse(await (await fetch(t.url("/api/auth/me"), { headers: { cookie } })).json());
      expect(after.user).toBeNull();
    });

    it("answers 400 to a login without a token", async () => {
      const res = await fetch(t.url("/api/auth/login"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ nope: 1 }),
      });
      expect(res.status).toBe(400);
    });
  });
});

describe("the failed-login limit", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    // Test-sized: 3 failures per 2 s window (the default is 5 per minute).
    t = await startAuthTestServer(["--auth", "token"], { loginRateLimit: { maxFailures: 3, windowMs: 2_000 } });
  });
  afterAll(async () => {
    await t?.stop();
  });
  const loginInit = (token: string): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });

  it("answers 429 with Retry-After after too many failures from one client, and accepts a correct token after the window", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await fetch(t.url("/api/auth/login"), loginInit(`wrong-${i}`));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("invalid_token");
    }
    // Limited: even the right token is refused unchecked, so a guesser learns nothing while locked out.
    const limited = await fetch(t.url("/api/auth/login"), loginInit(t.tokens.admin));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    const deadline = Date.now() + 20_000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await fetch(t.url("/api/auth/login"), loginInit(t.tokens.admin))).status;
    }
    expect(status).toBe(200);
  });
});

describe("anonymous mode (the default)", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    t = await startAuthTestServer([]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("makes every caller the anonymous admin, with no way to sign in", async () => {
    const me = AuthMeResponse.parse(await (await fetch(t.url("/api/auth/me"))).json());
    expect(me).toEqual({
      mode: "anonymous",
      user: { name: "anonymous", role: "admin", via: "anonymous" },
      csrfToken: null,
      loginMethods: [],
    });
    expect((await fetch(t.url("/api/services"))).status).toBe(200);
    const login = await fetch(t.url("/api/auth/login"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: t.tokens.admin }),
    });
    expect(login.status).toBe(404);
  });

  it("still refuses a cross-site change (a page elsewhere posting to a console on localhost)", async () => {
    const res = await fetch(t.url("/api/mesh/wizards/traffic-shifting?dryRun=true"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify(WIZARD_BODIES["traffic-shifting"]),
    });
    expect(res.status).toBe(403);
  });

  it("refuses to start on a non-loopback address unless --allow-anonymous-remote", async () => {
    await expect(startAuthTestServer([], {}, { host: "0.0.0.0" })).rejects.toThrow(/--allow-anonymous-remote/);
  });
});

describe("oidc mode with a tokens file too", () => {
  let t: AuthTestServer;
  beforeAll(async () => {
    // A provider nobody listens on (port 9, discard): enough to see the routes mounted and the methods offered.
    t = await startAuthTestServer([
      "--auth",
      "oidc",
      "--oidc-issuer",
      "http://127.0.0.1:9",
      "--oidc-client-id",
      "meshscope",
    ]);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("offers OIDC and the token form, and mounts the OIDC routes as public", async () => {
    const me = AuthMeResponse.parse(await (await fetch(t.url("/api/auth/me"))).json());
    expect(me.loginMethods).toEqual(["oidc", "token"]);
    const login = await fetch(t.url("/auth/oidc/login?returnTo=/graph"), { redirect: "manual" });
    // Not 401 (public) and not the SPA fallback: the OIDC router answers, here that the provider is unreachable.
    expect(login.status).toBe(502);
    const tokenLogin = await fetch(t.url("/api/auth/login"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: t.tokens.viewer }),
    });
    expect(tokenLogin.status).toBe(200);
  });
});
