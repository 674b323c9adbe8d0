import { describe, expect, it } from "vitest";
import { type PendingLogin, PendingLogins } from "./pending-logins.js";

const login = (createdMs: number): PendingLogin => ({
  codeVerifier: "v",
  nonce: "n",
  binding: "b",
  returnTo: "/",
  createdMs,
});

describe("PendingLogins", () => {
  it("hands out a sign-in once", () => {
    const pending = new PendingLogins({ ttlMs: 1000, maxEntries: 10, nowMs: () => 0 });
    pending.add("s", login(0));
    expect(pending.take("s").kind).toBe("ok");
    expect(pending.take("s").kind).toBe("unknown");
  });

  it("reports a sign-in older than its lifetime as expired", () => {
    let now = 0;
    const pending = new PendingLogins({ ttlMs: 1000, maxEntries: 10, nowMs: () => now });
    pending.add("s", login(0));
    now = 1000;
    expect(pending.take("s").kind).toBe("expired");
  });

  it("keeps at most maxEntries, dropping the oldest first", () => {
    const pending = new PendingLogins({ ttlMs: 1000, maxEntries: 3, nowMs: () => 0 });
    for (const state of ["a", "b", "c", "d"]) pending.add(state, login(0));
    expect(pending.size).toBe(3);
    expect(pending.take("a").kind).toBe("unknown");
    expect(pending.take("d").kind).toBe("ok");
  });

  it("drops expired sign-ins when a new one arrives", () => {
    let now = 0;
    const pending = new PendingLogins({ ttlMs: 1000, maxEntries: 10, nowMs: () => now });
    pending.add("old", login(0));
    now = 2000;
    pending.add("new", login(2000));
    expect(pending.size).toBe(1);
  });
});
