/**
 * The trace search against the demo's real traces (Bookinfo through its Istio-style proxies, whose spans are
 * named `<service>.<namespace>` and carry Envoy's tags such as `http.status_code`). trace-search.spec.ts covers
 * posted fixtures on the plain server; this file needs the demo server, hence its own name.
 */
import type { APIRequestContext } from "@playwright/test";
import { TraceSearchPage } from "../pages/TraceSearchPage.js";
import { expect, test } from "../support/console-errors.js";
import { saveScreenshot } from "../support/screenshot.js";

const SERVICE = "productpage.bookinfo";

/** Resolves once the demo has stored at least `count` traces through `service` in the last 5 minutes. */
async function waitForTraces(request: APIRequestContext, service: string, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await request.get(`/api/traces?service=${service}&lookback=5m&limit=${count}`);
        if (!response.ok()) return 0;
        const body: unknown = await response.json();
        return typeof body === "object" && body !== null && "traces" in body && Array.isArray(body.traces)
          ? body.traces.length
          : 0;
      },
      { timeout: 60_000, intervals: [1000], message: `the demo to store ${count} traces of ${service}` },
    )
    .toBe(count);
}

test.describe("trace search on the demo mesh", () => {
  // The demo server, Chromium and the specs share two cores with the demo's own traffic: allow for a slow page.
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async ({ request }) => {
    await waitForTraces(request, SERVICE, 30);
  });

  test("finds traces by service, shows them in the scatter, and sorts them by duration", async ({ page }, testInfo) => {
    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service: SERVICE, lookback: "15m", limit: "30" });
    await expect(page).toHaveURL(/service=productpage\.bookinfo&lookback=15m&limit=30/);
    await expect(search.rows).toHaveCount(30, { timeout: 30_000 });
    // Every trace found holds a span of the service searched for.
    for (const row of await search.rows.all()) {
      await expect(row.getByTestId("service-chip").filter({ hasText: SERVICE })).toHaveCount(1);
    }
    await expect(search.scatterPoints).toHaveCount(30);
    await saveScreenshot(page, testInfo, "trace-search-demo-results");

    const ids = await search.rowTraceIds();
    const durations = await search.rowDurations();
    await search.sort.selectOption("longest");
    await expect(page).toHaveURL(/sort=longest/);
    await expect.poll(() => search.rowDurations()).toEqual([...durations].sort((x, y) => y - x));
    // Sorting reorders the same answer; it does not search again.
    expect((await search.rowTraceIds()).sort()).toEqual([...ids].sort());
    await saveScreenshot(page, testInfo, "trace-search-demo-longest");

    await search.sort.selectOption("shortest");
    await expect.poll(() => search.rowDurations()).toEqual([...durations].sort((x, y) => x - y));

    // The sort survives a reload: it is in the URL.
    await page.reload();
    await expect(search.sort).toHaveValue("shortest");
  });

  test("finds traces by an attribute the demo's proxies set, and none for a value they never set", async ({
    page,
  }, testInfo) => {
    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service: SERVICE, tags: "http.status_code=200", lookback: "15m" });
    await expect(page).toHaveURL(/tags=http\.status_code%3D200/);
    await expect(search.rows.first()).toBeVisible({ timeout: 30_000 });
    await saveScreenshot(page, testInfo, "trace-search-demo-attribute");

    await search.search({ tags: "http.status_code=299" });
    await expect(search.noResults).toBeVisible({ timeout: 30_000 });
  });

  test("opens a trace from the list and from the scatter", async ({ page }, testInfo) => {
    const search = new TraceSearchPage(page);
    await search.goto(`?service=${SERVICE}&lookback=15m&limit=20`);
    await expect(search.rows.first()).toBeVisible({ timeout: 30_000 });
    const first = (await search.rowTraceIds())[0] ?? "";
    await search.openTrace(first);
    await expect(page).toHaveURL(new RegExp(`/traces/${first}$`));

    await page.goBack();
    await expect(search.scatterPoints.first()).toBeVisible({ timeout: 30_000 });
    // The point drawn last is on top of any it overlaps, so hovering and clicking reach it.
    const point = search.scatterPoints.last();
    const pointId = await point.getAttribute("data-trace-id");
    await point.hover();
    await expect(search.scatterTooltip).toContainText("spans");
    await saveScreenshot(page, testInfo, "trace-search-demo-scatter-hover");
    await point.click();
    await expect(page).toHaveURL(new RegExp(`/traces/${pointId}$`));

    // Keyboard: a point is a button, Enter opens its trace.
    await page.goBack();
    const focused = search.scatterPoints.first();
    const focusedId = await focused.getAttribute("data-trace-id");
    await focused.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/traces/${focusedId}$`));
  });
});
