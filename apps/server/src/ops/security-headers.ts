/**
 * Security headers on every answer of the console and receiver ports (issue #8): a browser that renders anything
 * of ours (the UI, a JSON body opened in a tab, an error page) does so under a Content-Security-Policy that allows
 * no inline script or style, no plugins, no framing and no other origin.
 *
 * The policy fits the built UI as it is (apps/web/dist, checked in a browser by the e2e specs, whose console
 * watchers fail on any "Refused to …" report):
 * - index.html loads only files: theme-init.js is a file rather than an inline script on purpose.
 * - React and cytoscape write styles through the CSSOM (`el.style.x = …`), which CSP does not govern; nothing
 *   sets a `style` attribute, so style-src needs no 'unsafe-inline'. One exception, allowed by its hash only:
 *   cytoscape (3.x, renderer/base) injects `<style>` holding `.__________cytoscape_container { position:
 *   relative; }` into <head> when the graph mounts.
 * - The graph layout runs in a module Worker from /assets (worker-src 'self'); `blob:` stays allowed for a
 *   worker built from a Blob, which bundlers fall back to for inline workers.
 * - Trace download builds a blob: URL for an <a download>; navigation is not governed by CSP.
 * - zod probes `new Function("")` once to decide whether to JIT its object parsers; without 'unsafe-eval' the
 *   probe throws, zod catches it and parses without JIT (no console error, nothing to allow).
 *
 * HSTS is sent only on a request that arrived over TLS (`req.secure`: TLS in front with `trust proxy`, or a
 * future TLS listener): browsers ignore it over plain http (RFC 6797 §8.1), and pinning https on a loopback
 * console that serves only http would lock the user out of it.
 */
import type { NextFunction, Request, Response } from "express";

/** sha256 of cytoscape's injected stylesheet text (see above); a cytoscape upgrade that changes it fails the test. */
export const CYTOSCAPE_STYLE_HASH = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  `style-src 'self' ${CYTOSCAPE_STYLE_HASH}`,
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** Two years, the preload list's minimum; no includeSubDomains: the console does not own its parent domain. */
const HSTS = "max-age=63072000";

const HEADERS: readonly (readonly [string, string])[] = [
  ["Content-Security-Policy", CONTENT_SECURITY_POLICY],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "no-referrer"],
  // frame-ancestors supersedes it where CSP is supported; kept for browsers and proxies that only know this one.
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  // Grafana's Jaeger data source calls /jaeger/api from its backend and OTLP exporters are not browsers: only
  // another site's page embedding our answers (<img>, <script>) is refused.
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
];

export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of HEADERS) res.setHeader(name, value);
    if (req.secure) res.setHeader("Strict-Transport-Security", HSTS);
    next();
  };
}
