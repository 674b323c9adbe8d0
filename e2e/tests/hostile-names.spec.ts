import { OverviewPage } from "../pages/OverviewPage.js";
import { ServiceDetailPage } from "../pages/ServiceDetailPage.js";
import { ServicesPage } from "../pages/ServicesPage.js";
import { expect, test } from "../support/console-errors.js";
import { type IstioRequestSeries, istioRequestsBody } from "../support/otlp-metrics.js";
import { saveScreenshot } from "../support/screenshot.js";

// Mesh labels are untrusted input (DESIGN §6): these must show as text and never run.
const HOSTILE_SERVICE = "<img src=x onerror=window.__meshscopePwned=1>";
const NAMESPACE = "e2e-hostile";

const series: IstioRequestSeries = {
  namespace: NAMESPACE,
  service: HOSTILE_SERVICE,
  sourceApp: "caller",
  destinationApp: HOSTILE_SERVICE,
  version: '"><svg onload=window.__meshscopePwned=2>',
  responseCode: "200",
};

test.describe("hostile names", () => {
  test.beforeAll(async ({ request }) => {
    // Three cumulative readings 10 s apart: the first is the counter's baseline, the next two make a rate.
    const now = Date.now();
    const start = now - 60_000;
    for (const [i, total] of [10, 110, 210].entries()) {
      const response = await request.post("/v1/metrics", {
        data: istioRequestsBody([{ series, total }], start, now - 20_000 + i * 10_000),
      });
      expect(response.ok(), await response.text()).toBe(true);
    }
  });

  test("service and version names from mesh metrics render as text on every page", async ({ page }, testInfo) => {
    const services = new ServicesPage(page);
    await services.goto(`?namespaces=${NAMESPACE}`);
    const row = services.row(NAMESPACE, HOSTILE_SERVICE);
    await expect(row).toHaveCount(1);
    await expect(services.versions(row)).toHaveText([series.version]);
    await expect(page.locator("img[src=x], svg[onload]")).toHaveCount(0);
    await saveScreenshot(page, testInfo, "hostile-services");

    const overview = new OverviewPage(page);
    await overview.goto(`?namespaces=${NAMESPACE}`);
    await expect(overview.card(NAMESPACE)).toBeVisible();

    await services.goto(`?namespaces=${NAMESPACE}`);
    await services.row(NAMESPACE, HOSTILE_SERVICE).getByTestId("service-link").click();
    const detail = new ServiceDetailPage(page);
    await expect(page.getByTestId("page-title")).toHaveText(HOSTILE_SERVICE);
    await expect(detail.versionChart(series.version)).toBeVisible();
    await expect(page.locator("img[src=x], svg[onload]")).toHaveCount(0);
    expect(await page.evaluate(() => "__meshscopePwned" in window)).toBe(false);
    await saveScreenshot(page, testInfo, "hostile-service-detail");
  });
});
