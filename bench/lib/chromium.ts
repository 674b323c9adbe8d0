/** Debian's Chromium with the flags of e2e/playwright.config.ts, for the UI benchmarks. */
import { type Browser, chromium, type Page } from "@playwright/test";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

/**
 * How long a new page's window is left to finish its start-up before a measured load. A new page is a new browser
 * window, and Chromium starts that window's own UI renderer with it (the omnibox popup,
 * chrome://omnibox-popup.top-chrome): ~2 s of CPU in a second renderer process, seen in a `--trace` of
 * bench:ui-graph, which on 2 cores slowed the measured page by ~200–700 ms. Someone opening the console has their
 * window already, so the benchmarks measure the page in a settled window. BENCH_SETTLE_MS overrides it.
 */
export const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);

/** A new page (a new window) once its window start-up is over: see SETTLE_MS. */
export async function settledPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto("about:blank");
  await page.waitForTimeout(SETTLE_MS);
  return page;
}
