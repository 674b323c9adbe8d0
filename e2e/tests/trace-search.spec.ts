import type { Page } from "@playwright/test";
import { TraceComparePage } from "../pages/TraceComparePage.js";
import { TraceSearchPage } from "../pages/TraceSearchPage.js";
import { expect, test } from "../support/console-errors.js";
import { buildOtlpTrace, type FixtureSpan, hexId } from "../support/otlp-trace.js";
import { saveScreenshot } from "../support/screenshot.js";

// Hostile strings as a sender could put them in spans (DESIGN §6: span data is untrusted, never HTML).
const HOSTILE_NAME = "<img src=x onerror=alert(1)>";
const HOSTILE_ATTRIBUTE = "<script>window.__meshscopePwned = true</script>";
const hostileService = (suffix: string) => `<img src=x onerror=window.__meshscopePwned=1>-${suffix}`;

/** Nothing from the span data became markup or ran. */
async function expectNothingRan(page: Page, dialogs: string[]): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(
    await page
      .locator("script")
      .evaluateAll((els) => els.filter((e) => e.textContent?.includes("__meshscopePwned")).length),
  ).toBe(0);
  expect(await page.evaluate(() => "__meshscopePwned" in window)).toBe(false);
  expect(dialogs).toEqual([]);
}

/** A checkout trace: root → client call → a handler in a hostile-named service; `extra` adds spans under the root. */
function checkoutSpans(frontend: string, backend: string, extra: Omit<FixtureSpan, "parentSpanId">[] = []) {
  const ids = { root: hexId(8), call: hexId(8), handler: hexId(8) };
  const spans: FixtureSpan[] = [
    {
      spanId: ids.root,
      parentSpanId: null,
      service: frontend,
      name: HOSTILE_NAME,
      kind: 2,
      startMs: 0,
      durationMs: 120,
      attributes: { "http.method": "GET", "http.status_code": 200 },
    },
    {
      spanId: ids.call,
      parentSpanId: ids.root,
      service: frontend,
      name: "POST /charge",
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
    ...extra.map((s) => ({ ...s, parentSpanId: ids.root })),
  ];
  return spans;
}

test.describe("trace search", () => {
  test("hostile service, span and attribute strings show as text on the search and compare pages", async ({
    page,
    request,
  }, testInfo) => {
    // Unique names: the specs share one database.
    const suffix = hexId(3);
    const frontend = `frontend-${suffix}`;
    const backend = hostileService(suffix);
    const a = buildOtlpTrace(hexId(16), checkoutSpans(frontend, backend), Date.now() - 3_000);
    const b = buildOtlpTrace(
      hexId(16),
      checkoutSpans(frontend, backend, [
        { spanId: hexId(8), service: backend, name: HOSTILE_ATTRIBUTE, kind: 1, startMs: 105, durationMs: 5 },
      ]),
    );
    for (const trace of [a, b]) expect((await request.post("/v1/traces", { data: trace.body })).status()).toBe(200);

    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const search = new TraceSearchPage(page);
    await search.goto();
    await expect(search.prompt).toBeVisible();
    // By a hostile service and attribute, which one span (the handler) holds; the value has spaces, so it is
    // quoted as logfmt asks.
    await search.search({ service: backend, tags: `note="${HOSTILE_ATTRIBUTE}"` });
    await expect(page).toHaveURL(/service=.*&tags=note/);
    await expect(search.rows).toHaveCount(2);
    const row = search.row(b.traceId);
    await expect(row.getByTestId("trace-link")).toHaveText(`${frontend}: ${HOSTILE_NAME}`);
    const chips = row.getByTestId("service-chip");
    await expect(chips).toHaveCount(2);
    await expect(chips.filter({ hasText: frontend }).getByTestId("service-chip-count")).toHaveText("2");
    await expect(chips.filter({ hasText: backend }).getByTestId("service-chip-count")).toHaveText("2");
    await expect(row.getByTestId("trace-errors")).toHaveText("1");

    // The scatter has one point per trace; its tooltip is text too.
    await expect(search.scatterPoints).toHaveCount(2);
    await search.scatterPoint(a.traceId).hover();
    await expect(search.scatterTooltip).toContainText(`${frontend}: ${HOSTILE_NAME}`);
    await expectNothingRan(page, dialogs);
    await saveScreenshot(page, testInfo, "trace-search-hostile");

    await search.select(a.traceId);
    await expect(search.compareButton).toBeDisabled();
    await search.select(b.traceId);
    await search.compareButton.click();
    await expect(page).toHaveURL(new RegExp(`/traces/compare\\?a=${a.traceId}&b=${b.traceId}`));

    const compare = new TraceComparePage(page);
    // B differs from A by one span under the root, named with the hostile attribute text.
    await expect(compare.summary).toContainText("1 added, 0 removed, 0 changed");
    await expect(compare.rows).toHaveCount(4);
    const added = compare.rowsWithStatus("added");
    await expect(added.getByTestId("compare-service")).toHaveText(backend);
    await expect(added.getByTestId("compare-name")).toHaveText(HOSTILE_ATTRIBUTE);
    await expect(compare.rows.first().getByTestId("compare-name")).toHaveText(HOSTILE_NAME);
    await expect(compare.sideA.getByTestId("compare-side-link")).toHaveText(`${frontend}: ${HOSTILE_NAME}`);
    await expectNothingRan(page, dialogs);
    await saveScreenshot(page, testInfo, "trace-compare-hostile");
  });

  test("tags that are not logfmt are explained next to the field and not searched", async ({ page }, testInfo) => {
    const search = new TraceSearchPage(page);
    await search.goto("?service=anything&lookback=1h&limit=20");
    await search.tags.fill('note="never closed');
    await expect(search.fieldErrors).toHaveText('The quoted value of note has no closing "');
    await expect(search.tags).toHaveAttribute("aria-invalid", "true");
    await search.submit.click();
    await expect(page).not.toHaveURL(/tags=/);
    await saveScreenshot(page, testInfo, "trace-search-tags-error");
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
