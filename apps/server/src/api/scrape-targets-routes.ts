/** `GET /api/scrape-targets`: each configured scrape target's state as of its last scrape. */
import type { ScrapeTargetStatus, ScrapeTargetsResponse } from "@meshscope/model";
import { Router } from "express";

export function scrapeTargetsRouter(status: () => ScrapeTargetStatus[]): Router {
  const router = Router();
  router.get("/scrape-targets", (_req, res) => {
    const body: ScrapeTargetsResponse = { targets: status() };
    res.json(body);
  });
  return router;
}
