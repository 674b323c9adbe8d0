import { describe, expect, it } from "vitest";
import { PAGES, pageForPath } from "./pages";

/** Every route of routes.tsx with a page, and the paths that have none (index redirect aside). */
describe("pageForPath", () => {
  it("names the page routes.tsx renders for each console path", () => {
    const cases: [string, (typeof PAGES)[keyof typeof PAGES]][] = [
      ["/", PAGES.overview],
      ["/overview", PAGES.overview],
      ["/graph", PAGES.graph],
      ["/services", PAGES.services],
      ["/services/bookinfo/reviews", PAGES.serviceDetail],
      ["/traces", PAGES.traces],
      ["/traces/compare", PAGES.traceCompare],
      ["/traces/open", PAGES.openTrace],
      [`/traces/${"ab".repeat(16)}`, PAGES.trace],
      ["/traces/abc/", PAGES.trace],
      ["/mesh-config", PAGES.meshConfig],
    ];
    for (const [path, page] of cases) expect(pageForPath(path), path).toBe(page);
  });

  it("names no page for the login page and unknown paths (they render without a page chunk)", () => {
    for (const path of ["/login", "/no/such/page", "/graph/x", "/services/bookinfo", "/traces/a/b", "/overviewx"]) {
      expect(pageForPath(path), path).toBeNull();
    }
  });
});
