import { expect, test } from "@playwright/test";
import { TraceDetailPage } from "../pages/TraceDetailPage.js";
import { TraceSearchPage } from "../pages/TraceSearchPage.js";
import { buildOtlpTrace, hexId } from "../support/otlp-trace.js";
import { saveScreenshot } from "../support/screenshot.js";

// Hostile strings as a sender could put them in spans (DESIGN §6: span data is untrusted, never HTML).
const HOSTILE_NAME = "<img src=x onerror=alert(1)>";
const HOSTILE_ATTRIBUTE = "<script>window.__meshscopePwned = true</script>";

test.describe("trace search", () => {
  test("a posted OTLP/JSON trace is found by service, opens, and shows hostile strings as text", async ({
    page,
    request,
  }, testInfo) => {
    // Unique names: the specs share one database.
    const suffix = hexId(3);
    const frontend = `frontend-${suffix}`;
    const backend = `backend-${suffix}`;
    const ids = { root: hexId(8), call: hexId(8), handler: hexId(8) };
    const trace = buildOtlpTrace(hexId(16), [
      {
        spanId: ids.root,
        parentSpanId: null,
        service: frontend,
        name: "GET /checkout",
        kind: 2,
        startMs: 0,
        durationMs: 120,
        attributes: { "http.method": "GET", "http.status_code": 200 },
      },
      {
        spanId: ids.call,
        parentSpanId: ids.root,
        service: frontend,
        name: HOSTILE_NAME,
        kind: 3,
        startMs: 10,
        durationMs: 90,
      },
      {
        spanId: ids.handler,
        parentSpanId: ids.call,
        service: backend,
        name: "charge card",
        kind: 2,
        startMs: 20,
        durationMs: 60,
        error: true,
        attributes: { note: HOSTILE_ATTRIBUTE, retries: 2 },
      },
    ]);

    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const posted = await request.post("/v1/traces", { data: trace.body });
    expect(posted.status()).toBe(200);

    const search = new TraceSearchPage(page);
    await search.goto();
    await expect(search.prompt).toBeVisible();
    await search.search({ service: frontend });
    await expect(page).toHaveURL(new RegExp(`service=${frontend}`));
    await expect(search.rows).toHaveCount(1);
    const row = search.row(trace.traceId);
    await expect(row).toContainText(`${frontend}: GET /checkout`);
    const chips = row.getByTestId("service-chip");
    await expect(chips).toHaveCount(2);
    await expect(chips.filter({ hasText: frontend }).getByTestId("service-chip-count")).toHaveText("2");
    await expect(chips.filter({ hasText: backend }).getByTestId("service-chip-count")).toHaveText("1");
    await expect(row.getByTestId("trace-errors")).toHaveText("1");

    await saveScreenshot(page, testInfo, "trace-search-results");

    await search.openTrace(trace.traceId);
    await expect(page).toHaveURL(new RegExp(`/traces/${trace.traceId}`));
    const detail = new TraceDetailPage(page);
    await expect(detail.spanRows).toHaveCount(3);
    await expect(page.getByTestId("trace-span-count")).toHaveText("3");
    await expect(page.getByTestId("trace-service-count")).toHaveText("2");
    await expect(page.getByTestId("trace-error-count")).toHaveText("1");
    await expect(page.getByTestId("trace-root-name")).toHaveText("GET /checkout");
    await expect(detail.spanRow(ids.call).getByTestId("span-name")).toHaveText(HOSTILE_NAME);

    await detail.selectSpan(ids.call);
    await expect(page.getByTestId("span-detail-name")).toHaveText(HOSTILE_NAME);
    await detail.selectSpan(ids.handler);
    await expect(page.getByTestId("span-detail-status")).toHaveText("error");
    await expect(detail.attributeValue("note")).toHaveText(HOSTILE_ATTRIBUTE);
    await expect(detail.attributeValue("retries")).toHaveText("2");

    // Nothing from the span data became markup or ran.
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(
      await page
        .locator("script")
        .evaluateAll((els) => els.filter((e) => e.textContent?.includes("__meshscopePwned")).length),
    ).toBe(0);
    expect(await page.evaluate(() => "__meshscopePwned" in window)).toBe(false);
    expect(dialogs).toEqual([]);
    await saveScreenshot(page, testInfo, "trace-detail");
  });

  test("a search nothing matches shows the empty state", async ({ page, request }, testInfo) => {
    const service = `lonely-${hexId(3)}`;
    const trace = buildOtlpTrace(hexId(16), [
      { spanId: hexId(8), parentSpanId: null, service, name: "GET /", kind: 2, startMs: 0, durationMs: 5 },
    ]);
    expect((await request.post("/v1/traces", { data: trace.body })).status()).toBe(200);

    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service, tags: "no.such.attribute=nothing" });
    await expect(search.noResults).toBeVisible();
    await expect(search.rows).toHaveCount(0);
    await saveScreenshot(page, testInfo, "trace-search-empty");
  });
});
