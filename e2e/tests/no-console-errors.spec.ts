import { AppShell } from "../pages/AppShell.js";
import { expect, test } from "../support/console-errors.js";
import { waitForBookinfo } from "../support/demo.js";

/** Every section against live demo data; the console-errors fixture fails a page that logs an error. */
const PAGES = [
  { path: "/overview", page: "page-overview" },
  { path: "/graph", page: "page-graph" },
  { path: "/services", page: "page-services" },
  { path: "/services/bookinfo/reviews", page: "page-service-detail" },
  { path: "/services/bookinfo/productpage?window=3600", page: "page-service-detail" },
  { path: "/traces", page: "page-traces" },
  { path: "/mesh-config", page: "page-mesh-config" },
] as const;

test.describe("console errors", () => {
  test.beforeAll(async ({ request }) => {
    await waitForBookinfo(request);
  });

  for (const { path, page: testId } of PAGES) {
    test(`${path} renders with data and logs no error`, async ({ page }) => {
      const shell = new AppShell(page);
      await shell.goto(path);
      await expect(page.getByTestId(testId)).toBeVisible();
      await expect(page.getByTestId("state-loading")).toHaveCount(0, { timeout: 15_000 });
      await expect(page.getByTestId("state-error")).toHaveCount(0);
    });
  }
});
