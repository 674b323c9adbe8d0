import { OverviewPage } from "../pages/OverviewPage.js";
import { expect, test } from "../support/console-errors.js";
import { waitForBookinfo } from "../support/demo.js";
import { saveScreenshot } from "../support/screenshot.js";

test.describe("overview", () => {
  test.beforeAll(async ({ request }) => {
    await waitForBookinfo(request);
  });

  test("shows a card for the bookinfo namespace with its services counted by health", async ({ page }, testInfo) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    const card = overview.card("bookinfo");
    await expect(card).toBeVisible();
    await expect(card.getByRole("heading", { name: "bookinfo" })).toBeVisible();
    // Bookinfo's four services (productpage, details, reviews, ratings) all take traffic, so none is idle, and
    // every one of them is counted under exactly one state.
    await expect(overview.healthCount("bookinfo", "idle")).toHaveText("0");
    const counts = await Promise.all(
      (["healthy", "degraded", "failure", "idle"] as const).map(async (h) =>
        Number(await overview.healthCount("bookinfo", h).textContent()),
      ),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
    await expect(card.getByTestId("namespace-rps")).toHaveText(/[1-9][\d.,]* req\/s|0\.\d*[1-9]\d* req\/s/);
    await expect(overview.sparkline("bookinfo")).toBeVisible();
    await expect(overview.sparkline("bookinfo")).toHaveAttribute("aria-label", /Request rate into bookinfo/);
    // The failing-edges panel settles into either a ranking or its empty state.
    await expect(overview.failingEdges.first().or(overview.noFailingEdges)).toBeVisible();
    await saveScreenshot(page, testInfo, "overview");
  });

  test("links a failing edge to the graph with that edge selected", async ({ page }, testInfo) => {
    // Up to a minute of waiting for the first failed request, on top of the usual steps.
    test.setTimeout(90_000);
    const overview = new OverviewPage(page);
    await overview.goto();
    // Bookinfo's baseline error rates (0.1-0.5%) fail a request now and then; wait until one falls in the window.
    await expect(async () => {
      await page.reload();
      await expect(overview.failingEdges.first()).toBeVisible({ timeout: 3000 });
    }).toPass({ timeout: 60_000 });
    const first = overview.failingEdges.first();
    await expect(first.getByTestId("health-badge")).toHaveAttribute("data-health", /degraded|failure/);
    await saveScreenshot(page, testInfo, "overview-failing-edges");
    const edgeId = await first.getAttribute("data-edge-id");
    await first.getByRole("link").click();
    await expect(page).toHaveURL(/\/graph\?/);
    expect(new URL(page.url()).searchParams.get("sel")).toBe(edgeId);
  });
});
