import { randomBytes } from "node:crypto";
import { createServer, get as httpGet, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Role } from "@meshscope/model";
import express, { type Router } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../ops/logger.js";
import {
  CookieJar,
  signInThroughProvider,
  startTestOidcProvider,
  type TestOidcProvider,
} from "../../test-support/oidc-provider.js";
import type { Principal, SessionIssuer } from "../types.js";
import { createOidcRouter, OIDC_CALLBACK_PATH, type OidcOptions, PENDING_LOGIN_TTL_MS } from "./oidc-router.js";

const SESSION_COOKIE = "test_session";

/** A real, small session issuer: random ids in a map, the id in a cookie; `/whoami` answers the principal. */
function testSessions() {
  const byId = new Map<string, Principal>();
  const issuer: SessionIssuer = {
    signIn(res, principal) {
      const id = randomBytes(16).toString("hex");
      byId.set(id, { ...principal, via: "session" });
      res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: "lax", path: "/" });
      return { id, principal: { ...principal, via: "session" }, csrfToken: "x", createdMs: 0, lastSeenMs: 0 };
    },
    discard() {},
    signOut() {},
  };
  return { issuer, whoami: (id: string | undefined) => (id === undefined ? null : (byId.get(id) ?? null)) };
}

/**
 * An express app on 127.0.0.1 whose OIDC router can be replaced between tests (the provider must know the
 * redirect URI, hence the port, before any router exists).
 */
async function startApp() {
  const sessions = testSessions();
  let current: Router | null = null;
  let clockMs = Date.now();
  const app = express();
  app.get("/whoami", (req, res) => {
    const id = /(?:^|;\s*)test_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    res.json({ user: sessions.whoami(id) });
  });
  app.use((req, res, next) => (current === null ? next() : current(req, res, next)));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    advanceClock(ms: number) {
      clockMs += ms;
    },
    async mount(opts: OidcOptions) {
      current = await createOidcRouter(opts, { sessions: sessions.issuer, logger: silentLogger, nowMs: () => clockMs });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type App = Awaited<ReturnType<typeof startApp>>;

const ACCOUNTS = {
  alice: { preferred_username: "alice", email: "alice@example.test", roles: ["developers", "editor", "viewer"] },
  bob: { email: "bob@example.test", roles: "viewer" },
  carol: { preferred_username: "carol", roles: ["developers"] },
  dave: { preferred_username: "dave", roles: "admin" },
};

function options(app: App, provider: TestOidcProvider, overrides: Partial<OidcOptions> = {}): OidcOptions {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    publicUrl: app.base,
    roleClaim: "roles",
    defaultRole: null,
    scopes: "openid profile email",
    ...overrides,
  };
}

/** Meshscope login → provider → Meshscope callback; returns the callback's answer. */
async function signIn(app: App, jar: CookieJar, account: string | null, returnTo = "/graph?x=1") {
  const login = await jar.fetch(`${app.base}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
  expect(login.status).toBe(302);
  const { callbackUrl } = await signInThroughProvider(jar, login, account, `${app.base}${OIDC_CALLBACK_PATH}`);
  return { callbackUrl, response: await jar.fetch(callbackUrl) };
}

async function whoami(app: App, jar: CookieJar): Promise<{ name: string; role: Role } | null> {
  const body: unknown = await (await jar.fetch(`${app.base}/whoami`)).json();
  const user = typeof body === "object" && body !== null && "user" in body ? body.user : null;
  return typeof user === "object" && user !== null && "name" in user && "role" in user
    ? { name: String(user.name), role: Role_(user.role) }
    : null;
}

function Role_(value: unknown): Role {
  if (value === "viewer" || value === "editor" || value === "admin") return value;
  throw new Error(`not a role: ${String(value)}`);
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body: unknown = await response.json();
  const error = typeof body === "object" && body !== null && "error" in body ? body.error : null;
  if (typeof error !== "object" || error === null || !("code" in error) || !("message" in error)) {
    throw new Error(`not an error envelope: ${JSON.stringify(body)}`);
  }
  return { code: String(error.code), message: String(error.message) };
}

describe("OIDC sign-in against a real OpenID provider (oidc-provider), confidential client", () => {
  let app: App;
  let provider: TestOidcProvider;
  beforeAll(async () => {
    app = await startApp();
    provider = await startTestOidcProvider({
      redirectUris: [`${app.base}${OIDC_CALLBACK_PATH}`],
      accounts: ACCOUNTS,
      extraProfileClaims: ["roles"],
    });
    await app.mount(options(app, provider));
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
  });

  it("sends the browser to the provider with PKCE S256, state, nonce and the callback as redirect_uri", async () => {
    const login = await new CookieJar().fetch(`${app.base}/auth/oidc/login?returnTo=/graph`);
    expect(login.status).toBe(302);
    const to = new URL(login.headers.get("location") ?? "");
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get("response_type")).toBe("code");
    expect(to.searchParams.get("client_id")).toBe(provider.clientId);
    expect(to.searchParams.get("redirect_uri")).toBe(`${app.base}/auth/oidc/callback`);
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("scope")?.split(" ")).toEqual(["openid", "profile", "email"]);
    const setCookie = login.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(
      /meshscope_oidc=[A-Za-z0-9_-]{43}; Max-Age=600; Path=\/auth\/oidc; .*HttpOnly; SameSite=Lax/,
    );
  });

  it("signs in with the highest role in an array claim and returns to the path asked for", async () => {
    const jar = new CookieJar();
    const { response } = await signIn(app, jar, "alice", "/graph?x=1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/graph?x=1");
    expect(jar.get(SESSION_COOKIE)).toBeDefined();
    expect(await whoami(app, jar)).toEqual({ name: "alice", role: "editor" });
  });

  it("takes a role from a string claim and names the account by email without preferred_username", async () => {
    const jar = new CookieJar();
    const { response } = await signIn(app, jar, "bob", "/services");
    expect(response.headers.get("location")).toBe("/services");
    expect(await whoami(app, jar)).toEqual({ name: "bob@example.test", role: "viewer" });
  });

  it("refuses an account whose claim names no Meshscope role, naming the claim (403)", async () => {
    const jar = new CookieJar();
    const { response } = await signIn(app, jar, "carol");
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      code: "forbidden",
      message: "your account has no Meshscope role (claim roles)",
    });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("answers a replayed callback with 400", async () => {
    const jar = new CookieJar();
    const { callbackUrl, response } = await signIn(app, jar, "dave");
    expect(response.status).toBe(302);
    const again = await jar.fetch(callbackUrl);
    expect(again.status).toBe(400);
    expect(await errorOf(again)).toMatchObject({
      code: "invalid_state",
      message: expect.stringContaining("already used"),
    });
  });

  it("sends a browser's page navigation back to the login page with the refusal as ?error=", async () => {
    const jar = new CookieJar();
    const { callbackUrl, response } = await signIn(app, jar, "dave");
    expect(response.status).toBe(302);
    // Node's fetch sets Sec-Fetch-Mode itself (to "cors"), so the browser's navigation is made with node:http.
    const again = await new Promise<IncomingMessage>((resolve, reject) =>
      httpGet(callbackUrl, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } }, resolve).on(
        "error",
        reject,
      ),
    );
    again.resume();
    expect(again.statusCode).toBe(302);
    const to = new URL(again.headers.location ?? "", app.base);
    expect(to.pathname).toBe("/login");
    expect(to.searchParams.get("error")).toContain("already used");
  });

  it("answers a callback whose state was tampered with 400", async () => {
    const jar = new CookieJar();
    const login = await jar.fetch(`${app.base}/auth/oidc/login?returnTo=/`);
    const { callbackUrl } = await signInThroughProvider(jar, login, "dave", `${app.base}${OIDC_CALLBACK_PATH}`);
    const tampered = new URL(callbackUrl);
    tampered.searchParams.set("state", `${tampered.searchParams.get("state")?.slice(0, -2)}AA`);
    const response = await jar.fetch(tampered.href);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({ code: "invalid_state" });
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("refuses a callback from a browser that did not start the sign-in (login CSRF) with 400", async () => {
    const attacker = new CookieJar();
    const login = await attacker.fetch(`${app.base}/auth/oidc/login?returnTo=/`);
    const { callbackUrl } = await signInThroughProvider(attacker, login, "dave", `${app.base}${OIDC_CALLBACK_PATH}`);
    const victim = new CookieJar();
    const response = await victim.fetch(callbackUrl);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain("started in another browser");
    expect(victim.get(SESSION_COOKIE)).toBeUndefined();
  });

  it("answers a callback after the 10-minute lifetime of a pending sign-in with 400", async () => {
    const jar = new CookieJar();
    const login = await jar.fetch(`${app.base}/auth/oidc/login?returnTo=/`);
    const { callbackUrl } = await signInThroughProvider(jar, login, "dave", `${app.base}${OIDC_CALLBACK_PATH}`);
    app.advanceClock(PENDING_LOGIN_TTL_MS);
    const response = await jar.fetch(callbackUrl);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain("expired");
  });

  it.each(["//evil.example/x", "https://evil.example/", "/\\evil.example", "graph"])(
    "returns to / instead of the off-site or malformed returnTo %s",
    async (returnTo) => {
      const jar = new CookieJar();
      const { response } = await signIn(app, jar, "dave", returnTo);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/");
    },
  );

  it("answers 401 with the provider's error as JSON text when the person aborts at the provider", async () => {
    const jar = new CookieJar();
    const { response } = await signIn(app, jar, null);
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      code: "oidc_refused",
      message: "the OpenID provider refused the sign-in: access_denied: End-User aborted interaction",
    });
  });

  it("echoes a provider error containing markup only inside JSON, never as HTML", async () => {
    const response = await new CookieJar().fetch(
      `${app.base}/auth/oidc/callback?error=${encodeURIComponent("<script>alert(1)</script>")}&state=x`,
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await errorOf(response)).message).toContain("<script>alert(1)</script>");
  });

  it("answers 502 naming the problem when the issuer URL serves no discovery document", async () => {
    await app.mount(options(app, provider, { issuer: `${provider.issuer}/no-such-issuer` }));
    try {
      const response = await new CookieJar().fetch(`${app.base}/auth/oidc/login`);
      expect(response.status).toBe(502);
      expect((await errorOf(response)).message).toContain("answered discovery with an error");
    } finally {
      await app.mount(options(app, provider));
    }
  });

  it("gives an account without a role the configured default role", async () => {
    await app.mount(options(app, provider, { defaultRole: "viewer" }));
    try {
      const jar = new CookieJar();
      const { response } = await signIn(app, jar, "carol");
      expect(response.status).toBe(302);
      expect(await whoami(app, jar)).toEqual({ name: "carol", role: "viewer" });
    } finally {
      await app.mount(options(app, provider));
    }
  });
});

describe("OIDC sign-in against a real OpenID provider (oidc-provider), public client, claims at userinfo", () => {
  let app: App;
  let provider: TestOidcProvider;
  beforeAll(async () => {
    app = await startApp();
    provider = await startTestOidcProvider({
      clientSecret: null,
      redirectUris: [`${app.base}${OIDC_CALLBACK_PATH}`],
      accounts: ACCOUNTS,
      extraProfileClaims: ["roles"],
      claimsOnlyAtUserinfo: true,
    });
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
  });

  it("reads the role and name from userinfo when the ID token carries only sub", async () => {
    await app.mount(options(app, provider));
    const jar = new CookieJar();
    const { response } = await signIn(app, jar, "alice");
    expect(response.status).toBe(302);
    expect(await whoami(app, jar)).toEqual({ name: "alice", role: "editor" });
  });

  it("answers 502 while the provider is unreachable, starts anyway, and signs in once it is back", async () => {
    provider.setReachable(false);
    await app.mount(options(app, provider));
    const jar = new CookieJar();
    const down = await jar.fetch(`${app.base}/auth/oidc/login?returnTo=/traces`);
    expect(down.status).toBe(502);
    expect(await errorOf(down)).toMatchObject({
      code: "oidc_unavailable",
      message: expect.stringContaining(`the OpenID provider ${provider.issuer} cannot be reached`),
    });
    provider.setReachable(true);
    const { response } = await signIn(app, jar, "dave", "/traces");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/traces");
    expect(await whoami(app, jar)).toEqual({ name: "dave", role: "admin" });
  });
});

describe("OIDC options", () => {
  const deps = { sessions: testSessions().issuer, logger: silentLogger };
  const base: OidcOptions = {
    issuer: "https://id.example.test",
    clientId: "meshscope",
    clientSecret: null,
    publicUrl: "https://meshscope.example.test",
    roleClaim: "roles",
    defaultRole: null,
    scopes: "openid",
  };

  it("refuses a plain-http issuer that is not on this machine", async () => {
    await expect(createOidcRouter({ ...base, issuer: "http://id.example.test" }, deps)).rejects.toThrow(
      /must use https/,
    );
  });

  it("refuses an issuer or public URL that is not a URL", async () => {
    await expect(createOidcRouter({ ...base, issuer: "id.example.test" }, deps)).rejects.toThrow(/not a URL/);
    await expect(createOidcRouter({ ...base, publicUrl: "meshscope" }, deps)).rejects.toThrow(/not a URL/);
  });
});
