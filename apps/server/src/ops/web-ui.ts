/**
 * The web UI on the console port: the static build of apps/web with an SPA fallback (every other GET path gets
 * index.html, so deep links like /traces/abc work). Without a build, a plain page says how to make one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router } from "express";

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meshscope</title></head>
<body><h1>Meshscope</h1><p>The web UI is not built. Run <code>npm run build</code> and restart.</p>
<p>The API answers under <a href="/api/services">/api</a>; receivers are listening.</p></body></html>
`;

export function webUiRouter(distDir: string): Router {
  const router = Router();
  const indexHtml = path.join(distDir, "index.html");
  if (existsSync(indexHtml)) {
    router.use(express.static(distDir, { index: "index.html" }));
    router.get("/{*splat}", (_req, res) => {
      res.sendFile(indexHtml);
    });
  } else {
    router.get("/{*splat}", (_req, res) => {
      res.status(200).type("html").send(MISSING_BUILD_PAGE);
    });
  }
  return router;
}
