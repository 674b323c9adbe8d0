/**
 * `/api/auth` (packages/model auth-api.ts): who is signed in, the token login form's sign-in, and sign-out.
 * The access guard lets all three through without a caller (access-rules.ts: PUBLIC_POSTS, PUBLIC_READS).
 */
import { type AuthMeResponse, LoginRequest, type LoginResponse } from "@meshscope/model";
import express, { Router } from "express";
import { apiErrorHandler, parseOr400, sendApiError } from "../api/errors.js";
import type { Logger } from "../ops/logger.js";
import type { ConsoleAuth } from "./console-auth.js";
import { principalOf } from "./types.js";

export function authRouter(auth: ConsoleAuth, logger: Logger): Router {
  const router = Router();

  router.get("/me", (_req, res) => {
    const body: AuthMeResponse = {
      mode: auth.mode,
      user: principalOf(res),
      csrfToken: auth.sessionOf(res)?.csrfToken ?? null,
      loginMethods: auth.loginMethods(),
    };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.post("/login", express.json({ limit: "16kb" }), (req, res) => {
    if (!auth.tokenLoginEnabled) {
      sendApiError(res, 404, "not_found", `token login is not enabled in ${auth.mode} mode`);
      return;
    }
    const client = req.socket.remoteAddress ?? "unknown";
    const wait = auth.limiter.retryAfterSeconds(client);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      sendApiError(res, 429, "rate_limited", `too many failed logins; retry in ${wait} s`);
      return;
    }
    const { token } = parseOr400(LoginRequest, req.body ?? {});
    const entry = auth.tokens.verify(token);
    // An ingest token pushes telemetry only: it does not open a console session.
    if (entry === null || entry.role === "ingest") {
      auth.limiter.recordFailure(client);
      logger.info("login refused", { client });
      sendApiError(res, 401, "invalid_token", "unknown token");
      return;
    }
    auth.sessions.discard(req);
    const session = auth.sessions.signIn(res, { name: entry.name, role: entry.role });
    logger.info("signed in", { user: entry.name, role: entry.role, method: "token" });
    const body: LoginResponse = { user: session.principal, csrfToken: session.csrfToken };
    res.setHeader("Cache-Control", "no-store");
    res.json(body);
  });

  router.post("/logout", (req, res) => {
    auth.sessions.signOut(req, res);
    res.status(204).end();
  });

  router.use(apiErrorHandler(logger));
  return router;
}
