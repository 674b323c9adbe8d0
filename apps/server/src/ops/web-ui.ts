/**
 * The web UI on the console port: the static build of apps/web with an SPA fallback (every other GET path gets
 * index.html, so deep links like /traces/abc work). Without a build, a plain page says how to make one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Request, type Response, Router } from "express";

const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Meshscope</title></head>
<body><h1>Meshscope</h1><p>The web UI is not built. Run <code>npm run build</code> and restart.</p>
<p>The API answers under <a href="/api/services">/api</a>; receivers are listening.</p></body></html>
`;

export interface WebUiHooks {
  /** Called for each page path answered with index.html (not for files), before it is sent. */
  onPage?: (req: Request, res: Response) => void;
}

export function webUiRouter(distDir: string, hooks: WebUiHooks = {}): Router {
  const router = Router();
  const indexHtml = path.join(distDir, "index.html");
  if (existsSync(indexHtml)) {
    router.use(
      express.static(distDir, {
        index: "index.html",
        // Vite names every file under assets/ by its content hash, so a cached copy can never be stale: browsers
        // keep them for a year without revalidating. index.html and the unhashed files keep express's default
        // (revalidate with the ETag), so a new build's index.html, naming new hashes, is picked up at once.
        setHeaders: (res, filePath) => {
          if (path.relative(distDir, filePath).startsWith(`assets${path.sep}`)) {
            res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
          }
        },
      }),
    );
    router.get("/{*splat}", (req, res) => {
      hooks.onPage?.(req, res);
      res.sendFile(indexHtml);
    });
  } else {
    router.get("/{*splat}", (_req, res) => {
      res.status(200).type("html").send(MISSING_BUILD_PAGE);
    });
  }
  return router;
}
