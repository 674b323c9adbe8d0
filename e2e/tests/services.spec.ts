import { ServiceDetailPage } from "../pages/ServiceDetailPage.js";
import { ServicesPage } from "../pages/ServicesPage.js";
import { expect, test } from "../support/console-errors.js";
import { waitForBookinfo } from "../support/demo.js";
import { saveScreenshot } from "../support/screenshot.js";

test.describe("services", () => {
  test.beforeAll(async ({ request }) => {
    await waitForBookinfo(request);
  });

  test("the list shows Bookinfo's services with health, rate and versions", async ({ page }, testInfo) => {
    const services = new ServicesPage(page);
    await services.goto("?namespaces=bookinfo");
    for (const name of ["productpage", "details", "reviews", "ratings"]) {
      await expect(services.row("bookinfo", name)).toHaveCount(1);
    }
    const reviews = services.row("bookinfo", "reviews");
    await expect(services.versions(reviews)).toHaveText(["v1", "v2", "v3"]);
    await expect(services.health(reviews)).toHaveAttribute("data-health", /healthy|degraded|failure/);
    await expect(reviews.getByTestId("service-rps")).not.toHaveText("0");

    // Sorting by rate puts the busiest service first: productpage and reviews take every page view.
    await services.sortBy("rps");
    await expect(page).toHaveURL(/sort=-rps/);
    await expect(services.rows.first()).toHaveAttribute("data-service", /productpage|reviews|details/);
    await saveScreenshot(page, testInfo, "services-list");
  });

  test("the reviews page shows a chart per version and the RED charts", async ({ page }, testInfo) => {
    const services = new ServicesPage(page);
    await services.goto("?namespaces=bookinfo");
    await services.row("bookinfo", "reviews").getByTestId("service-link").click();
    await expect(page).toHaveURL(/\/services\/bookinfo\/reviews\?namespaces=bookinfo$/);

    const detail = new ServiceDetailPage(page);
    await expect(detail.versionCharts()).toHaveCount(3);
    for (const v of ["v1", "v2", "v3"]) {
      await expect(detail.versionChart(v).getByRole("heading", { name: v })).toBeVisible();
      await expect(detail.versionChart(v).locator("svg path").first()).toBeVisible();
    }
    await expect(detail.facts.getByTestId("service-workloads")).toContainText("reviews-v1");
    await expect(detail.inboundCharts.getByRole("slider")).toHaveCount(3);
    // reviews v2 and v3 call ratings: outbound traffic exists.
    await expect(detail.outboundCharts).toBeVisible();
    await expect(detail.meshConfigNone).toBeVisible();

    // Hovering a chart shows the values at that time.
    const rateChart = detail.inboundCharts.getByRole("slider").first();
    const box = await rateChart.boundingBox();
    if (!box) throw new Error("the request-rate chart has no box");
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    await expect(detail.inboundCharts.getByTestId("chart-tooltip")).toContainText("Requests/s");
    await saveScreenshot(page, testInfo, "service-reviews");

    // And from the keyboard: the chart is a slider whose value text reads the point.
    await rateChart.focus();
    await page.keyboard.press("Home");
    await expect(rateChart).toHaveAttribute("aria-valuenow", "0");
    await expect(rateChart).toHaveAttribute("aria-valuetext", /Requests\/s/);
  });
});

test.describe("an unknown service", () => {
  // Chromium logs the API's 404 for the unknown name as a failed resource load; the page explains it instead.
  test.use({ expectedConsoleErrors: [/status of 404/] });

  test("says there is nothing in the window", async ({ page }) => {
    const detail = new ServiceDetailPage(page);
    await detail.goto("bookinfo", "no-such-service");
    await expect(page.getByTestId("service-not-found").first()).toBeVisible();
    await expect(page.getByTestId("state-error")).toHaveCount(0);
  });
});
