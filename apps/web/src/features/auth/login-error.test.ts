import { describe, expect, it } from "vitest";
import { loginErrorMessage, retryAfterSeconds } from "./login-error";

describe("retryAfterSeconds", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");

  it("reads delay-seconds", () => {
    expect(retryAfterSeconds("30", now)).toBe(30);
    expect(retryAfterSeconds(" 5 ", now)).toBe(5);
  });

  it("reads an HTTP-date as the time left until then", () => {
    expect(retryAfterSeconds("Thu, 26 Nov 2026 12:01:00 GMT", now)).toBe(60);
  });

  it("never asks to wait less than a second, and ignores what it cannot read", () => {
    expect(retryAfterSeconds("0", now)).toBe(1);
    expect(retryAfterSeconds("Thu, 26 Nov 2026 11:00:00 GMT", now)).toBe(1);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds("soon", now)).toBeNull();
  });
});

describe("loginErrorMessage", () => {
  it("says the token is wrong on 401, without echoing anything about it", () => {
    expect(loginErrorMessage(401, null, "invalid_token")).toBe("That token is not valid. Check it and try again.");
  });

  it("shows the wait of a 429 from Retry-After", () => {
    expect(loginErrorMessage(429, 42, null)).toBe("Too many sign-in attempts. Try again in 42 seconds.");
    expect(loginErrorMessage(429, 1, null)).toBe("Too many sign-in attempts. Try again in 1 second.");
    expect(loginErrorMessage(429, 600, null)).toBe("Too many sign-in attempts. Try again in 10 minutes.");
    expect(loginErrorMessage(429, null, null)).toBe("Too many sign-in attempts. Wait a moment and try again.");
  });

  it("passes other failures on with the server's message", () => {
    expect(loginErrorMessage(500, null, "database is locked")).toBe("database is locked");
    expect(loginErrorMessage(502, null, null)).toBe("Sign-in failed: the server answered 502.");
  });
});
