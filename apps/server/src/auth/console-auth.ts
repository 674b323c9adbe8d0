/**
 * Authentication and access control on every port (DESIGN §6, ADR 0002). One object owns the credentials:
 *  - `resolvePrincipal` reads the bearer token or the session cookie once per request into res.locals.principal;
 *  - `accessGuard` classifies each console request (access-rules.ts) and admits it or answers 401/403;
 *  - `ingestGuard` / `authorizeGrpc` guard the receiver ports and the gRPC services when ingest auth is on.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { type AuthMode, CSRF_HEADER } from "@meshscope/model";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { sendApiError } from "../api/errors.js";
import { sendIngestError } from "../ingest/http-answers.js";
import type { Logger } from "../ops/logger.js";
import { classify, isSafeMethod, normalizePath, OIDC_PREFIX } from "./access-rules.js";
import type { AuthSettings } from "./auth-settings.js";
import { ACCESS_CHECKED, authorizeRole, INGEST_ONLY, WWW_AUTHENTICATE } from "./authorize.js";
import { LoginLimiter, type LoginLimiterOptions } from "./login-limiter.js";
import { SessionStore } from "./session-store.js";
import { hashToken, TokenVerifier } from "./tokens-file.js";
import type { Principal, Session } from "./types.js";

export const ANONYMOUS_PRINCIPAL: Principal = { name: "anonymous", role: "admin", via: "anonymous" };

export interface ConsoleAuthOptions {
  settings: AuthSettings;
  logger: Logger;
  /** The URL users reach; known once the console port is bound. Decides `Secure` cookies and allowed Origins. */
  publicUrl: () => string | null;
  loginRateLimit?: LoginLimiterOptions;
  nowMs?: () => number;
}

type IngestDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

/** `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive). */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ConsoleAuth {
  readonly mode: AuthMode;
  readonly sessions: SessionStore;
  readonly tokens: TokenVerifier;
  readonly limiter: LoginLimiter;
  private readonly settings: AuthSettings;
  /** The live session a request came with (keyed by its response, which lives exactly as long as the request). */
  private readonly requestSessions = new WeakMap<Response, Session>();

  constructor(private readonly options: ConsoleAuthOptions) {
    this.settings = options.settings;
    this.mode = options.settings.mode;
    this.tokens = new TokenVerifier(options.settings.tokens);
    this.sessions = new SessionStore({
      secure: () => options.publicUrl()?.startsWith("https:") === true,
      ...(options.nowMs ? { nowMs: options.nowMs } : {}),
    });
    this.limiter = new LoginLimiter({
      ...options.loginRateLimit,
      ...(options.nowMs ? { nowMs: options.nowMs } : {}),
    });
  }

  /** The token form works in token mode, and in oidc mode when a tokens file is given too. */
  get tokenLoginEnabled(): boolean {
    return this.mode === "token" || (this.mode === "oidc" && this.tokens.size > 0);
  }

  loginMethods(): ("token" | "oidc")[] {
    if (this.mode === "anonymous") return [];
    if (this.mode === "token") return ["token"];
    return this.tokenLoginEnabled ? ["oidc", "token"] : ["oidc"];
  }

  sessionOf(res: Response): Session | null {
    return this.requestSessions.get(res) ?? null;
  }

  /**
   * A random ingest token that lives only in this process's memory (the in-process demo's exporter uses it);
   * null when ingest auth is off.
   */
  issueEphemeralIngestToken(name: string): string | null {
    if (this.settings.ingestAuth !== "token") return null;
    const token = randomBytes(32).toString("base64url");
    this.tokens.add({ name, role: "ingest", sha256: hashToken(token) });
    return token;
  }

  readonly resolvePrincipal: RequestHandler = (req, res, next) => {
    if (this.mode === "anonymous") {
      res.locals.principal = ANONYMOUS_PRINCIPAL;
      next();
      return;
    }
    const token = bearerToken(req.headers.authorization);
    if (token !== null) {
      const entry = this.tokens.verify(token);
      if (entry?.role === "ingest") res.locals[INGEST_ONLY] = true;
      else if (entry !== null) res.locals.principal = { name: entry.name, role: entry.role, via: "bearer" };
      next();
      return;
    }
    const session = this.sessions.fromRequest(req);
    if (session !== null) {
      this.requestSessions.set(res, session);
      res.locals.principal = session.principal;
    }
    next();
  };

  readonly accessGuard: RequestHandler = (req, res, next) => {
    const access = classify(req.method, req.path);
    if (access.kind === "ingest") {
      this.admitIngest(req, res, next);
      return;
    }
    if (!isSafeMethod(req.method) && !normalizePath(req.path).startsWith(OIDC_PREFIX) && !this.originAllowed(req)) {
      sendApiError(res, 403, "csrf", `Origin ${req.headers.origin ?? ""} does not match this console`);
      return;
    }
    if (access.kind === "public") {
      next();
      return;
    }
    if (!authorizeRole(res, access.role)) return;
    if (!isSafeMethod(req.method) && this.sessionOf(res) !== null && !this.csrfValid(req, res)) {
      sendApiError(res, 403, "csrf", `a cookie session's changes need the ${CSRF_HEADER} header from GET /api/auth/me`);
      return;
    }
    res.locals[ACCESS_CHECKED] = true;
    next();
  };

  /** For the receiver ports: the ingest check alone. */
  readonly ingestGuard: RequestHandler = (req, res, next) => {
    this.admitIngest(req, res, next);
  };

  /** For the gRPC services: null to go ahead, or the error to answer. */
  authorizeGrpc(metadata: grpc.Metadata): grpc.ServerErrorResponse | null {
    const raw = metadata.get("authorization")[0];
    const decision = this.ingestDecision(typeof raw === "string" ? raw : undefined);
    if (decision.ok) return null;
    const code = decision.status === 401 ? grpc.status.UNAUTHENTICATED : grpc.status.PERMISSION_DENIED;
    return Object.assign(new Error(decision.message), { code, details: decision.message });
  }

  ingestDecision(authorization: string | undefined): IngestDecision {
    if (this.settings.ingestAuth === "none") return { ok: true };
    const token = bearerToken(authorization);
    if (token === null) return { ok: false, status: 401, message: "ingest needs Authorization: Bearer <ingest token>" };
    const entry = this.tokens.verify(token);
    if (entry === null) return { ok: false, status: 401, message: "unknown bearer token" };
    if (entry.role !== "ingest" && entry.role !== "admin") {
      return {
        ok: false,
        status: 403,
        message: `ingest needs an ingest or admin token; ${entry.name} is ${entry.role}`,
      };
    }
    return { ok: true };
  }

  private admitIngest(req: Request, res: Response, next: NextFunction): void {
    const decision = this.ingestDecision(req.headers.authorization);
    if (decision.ok) {
      next();
      return;
    }
    // The request body is not read: drain it so the connection can answer and be reused.
    req.resume();
    if (decision.status === 401) res.setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
    // As the receivers answer their other errors: a google.rpc.Status in the request's encoding (OTLP/HTTP).
    sendIngestError(res, req.is("application/x-protobuf") ? "protobuf" : "json", {
      status: decision.status,
      code: decision.status === 401 ? "unauthenticated" : "forbidden",
      message: decision.message,
    });
  }

  /** An Origin header, when sent, must name this console: its Host, or the public URL. */
  private originAllowed(req: Request): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (!URL.canParse(origin)) return false;
    const host = new URL(origin).host.toLowerCase();
    if (host !== "" && host === req.headers.host?.toLowerCase()) return true;
    const publicUrl = this.options.publicUrl();
    return publicUrl !== null && URL.canParse(publicUrl) && new URL(publicUrl).host.toLowerCase() === host;
  }

  private csrfValid(req: Request, res: Response): boolean {
    const session = this.sessionOf(res);
    const sent = req.headers[CSRF_HEADER.toLowerCase()];
    return session !== null && typeof sent === "string" && sameSecret(sent, session.csrfToken);
  }
}
