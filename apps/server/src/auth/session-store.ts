/**
 * Server-side sessions in memory (ADR 0002): the cookie carries only a random id; the session holds the principal
 * and its CSRF token. A restart signs everyone out, which is acceptable for a console whose login is a token paste
 * or an OIDC round trip, and it keeps the server stateless on disk.
 *
 * Lifetime: 12 h from sign-in at most, 2 h without a request. The store is bounded: past `maxSessions` the
 * least recently used session is dropped, so a flood of logins cannot grow memory without limit.
 */
import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";
import type { Principal, Session, SessionIssuer } from "./types.js";

export const SESSION_COOKIE = "meshscope_session";

export interface SessionStoreOptions {
  /** Whether cookies get `Secure` (the public URL is https); read at sign-in, as the URL is known after bind. */
  secure: () => boolean;
  absoluteMs?: number;
  idleMs?: number;
  maxSessions?: number;
  nowMs?: () => number;
}

const HOUR_MS = 3_600_000;

/** The value of one cookie in a Cookie header (RFC 6265 §5.4), or null. */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return null;
}

export class SessionStore implements SessionIssuer {
  /** In least-recently-used order: a touched session is re-inserted at the end. */
  private readonly sessions = new Map<string, Session>();
  private readonly absoluteMs: number;
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionStoreOptions) {
    this.absoluteMs = options.absoluteMs ?? 12 * HOUR_MS;
    this.idleMs = options.idleMs ?? 2 * HOUR_MS;
    this.maxSessions = options.maxSessions ?? 10_000;
    this.now = options.nowMs ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The request's live session (and marks it used), or null when absent, unknown or expired. */
  fromRequest(req: Request): Session | null {
    const id = readCookie(req, SESSION_COOKIE);
    if (id === null) return null;
    const session = this.sessions.get(id);
    if (session === undefined) return null;
    const now = this.now();
    if (now - session.createdMs >= this.absoluteMs || now - session.lastSeenMs >= this.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeenMs = now;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  signIn(res: Response, principal: Omit<Principal, "via">): Session {
    const now = this.now();
    const session: Session = {
      id: randomBytes(32).toString("base64url"),
      principal: { name: principal.name, role: principal.role, via: "session" },
      csrfToken: randomBytes(32).toString("base64url"),
      createdMs: now,
      lastSeenMs: now,
    };
    // A fresh id on every sign-in, so a session id planted before login (session fixation) is never promoted.
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done === true) break;
      this.sessions.delete(oldest.value);
    }
    res.cookie(SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: this.options.secure(),
      maxAge: this.absoluteMs,
    });
    return session;
  }

  /** Forgets the request's session without touching the response (before a new sign-in replaces it). */
  discard(req: Request): void {
    const id = readCookie(req, SESSION_COOKIE);
    if (id !== null) this.sessions.delete(id);
  }

  signOut(req: Request, res: Response): void {
    this.discard(req);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", path: "/", secure: this.options.secure() });
  }
}
