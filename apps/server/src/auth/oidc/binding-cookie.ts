/**
 * Ties a pending sign-in to the browser that started it. Without this, someone could start a sign-in, log in at
 * the provider as themselves and send the callback link to a victim, whose browser would then be signed in as the
 * attacker (login CSRF). The cookie holds a random value that the pending sign-in records; the callback must
 * come with the same value. One value per browser (reused while it lives), so sign-ins started in several tabs
 * at once all complete.
 *
 * HttpOnly; SameSite=Lax because the provider's redirect back is a cross-site top-level GET, which Lax cookies
 * accompany (the default `response_mode=query`); Secure when Meshscope is served over https.
 */
import type { Request, Response } from "express";

export const BINDING_COOKIE = "meshscope_oidc";

/** The shape `oidc.randomState()` produces: 32 random bytes in base64url. */
const BINDING_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function readBinding(req: Request): string | null {
  const header = req.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== BINDING_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (BINDING_SHAPE.test(value)) return value;
  }
  return null;
}

export function writeBinding(res: Response, value: string, opts: { path: string; secure: boolean; maxAgeMs: number }) {
  res.cookie(BINDING_COOKIE, value, {
    httpOnly: true,
    sameSite: "lax",
    secure: opts.secure,
    path: opts.path,
    maxAge: opts.maxAgeMs,
  });
}
