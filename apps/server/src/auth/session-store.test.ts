import type { Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { LoginLimiter } from "./login-limiter.js";
import { SESSION_COOKIE, SessionStore } from "./session-store.js";

/** The least of express's Response that signing in touches: the cookie it sets. */
function fakeResponse(): { res: Response; cookies: Map<string, { value: string; options: unknown }> } {
  const cookies = new Map<string, { value: string; options: unknown }>();
  const res = {
    cookie(name: string, value: string, options: unknown) {
      cookies.set(name, { value, options });
      return res;
    },
    clearCookie(name: string) {
      cookies.set(name, { value: "", options: { cleared: true } });
      return res;
    },
  };
  // A structural stand-in: only cookie() and clearCookie() are called by the store.
  return { res: res as unknown as Response, cookies };
}

function requestWith(id: string): Request {
  // Only the Cookie header is read.
  return { headers: { cookie: `other=1; ${SESSION_COOKIE}=${id}` } } as unknown as Request;
}

const HOUR = 3_600_000;

describe("sessions", () => {
  it("expire 2 h after the last request and 12 h after sign-in whatever the use", () => {
    let now = 0;
    const store = new SessionStore({ secure: () => false, nowMs: () => now });
    const { res, cookies } = fakeResponse();
    const session = store.signIn(res, { name: "ann", role: "viewer" });
    expect(cookies.get(SESSION_COOKIE)?.value).toBe(session.id);
    expect(cookies.get(SESSION_COOKIE)?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    // Used every 1.5 h, it lives until the 12 h mark.
    for (now = 1.5 * HOUR; now < 12 * HOUR; now += 1.5 * HOUR) {
      expect(store.fromRequest(requestWith(session.id))?.principal.name, `at ${now / HOUR} h`).toBe("ann");
    }
    now = 12 * HOUR;
    expect(store.fromRequest(requestWith(session.id))).toBeNull();

    const idle = store.signIn(res, { name: "bo", role: "editor" });
    now += 2 * HOUR;
    expect(store.fromRequest(requestWith(idle.id))).toBeNull();
  });

  it("keep at most maxSessions, dropping the least recently used", () => {
    let now = 0;
    const store = new SessionStore({ secure: () => true, nowMs: () => now, maxSessions: 2 });
    const { res, cookies } = fakeResponse();
    const a = store.signIn(res, { name: "a", role: "viewer" });
    expect(cookies.get(SESSION_COOKIE)?.options).toMatchObject({ secure: true });
    now++;
    const b = store.signIn(res, { name: "b", role: "viewer" });
    now++;
    store.fromRequest(requestWith(a.id));
    store.signIn(res, { name: "c", role: "viewer" });
    expect(store.size).toBe(2);
    expect(store.fromRequest(requestWith(b.id))).toBeNull();
    expect(store.fromRequest(requestWith(a.id))?.principal.name).toBe("a");
  });

  it("end at sign-out, and the cookie is cleared", () => {
    const store = new SessionStore({ secure: () => false });
    const { res, cookies } = fakeResponse();
    const s = store.signIn(res, { name: "a", role: "admin" });
    store.signOut(requestWith(s.id), res);
    expect(store.fromRequest(requestWith(s.id))).toBeNull();
    expect(cookies.get(SESSION_COOKIE)?.value).toBe("");
  });

  it("have ids and CSRF tokens that differ and cannot be guessed from each other", () => {
    const store = new SessionStore({ secure: () => false });
    const { res } = fakeResponse();
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const s = store.signIn(res, { name: "a", role: "admin" });
      expect(s.id).not.toBe(s.csrfToken);
      ids.add(s.id);
    }
    expect(ids.size).toBe(100);
  });
});

describe("the failed-login limiter", () => {
  it("locks a client out after maxFailures in the window, until the window ends", () => {
    let now = 0;
    const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 60_000, nowMs: () => now });
    for (let i = 0; i < 4; i++) limiter.recordFailure("10.0.0.1");
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(0);
    limiter.recordFailure("10.0.0.1");
    now = 15_000;
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(45);
    expect(limiter.retryAfterSeconds("10.0.0.2")).toBe(0);
    now = 60_000;
    expect(limiter.retryAfterSeconds("10.0.0.1")).toBe(0);
  });

  it("tracks a bounded number of clients", () => {
    const limiter = new LoginLimiter({ maxClients: 100, nowMs: () => 0 });
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.trackedClients).toBeLessThanOrEqual(100);
  });
});
