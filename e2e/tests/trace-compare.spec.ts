/**
 * Trace comparison against the demo's real traces: Bookinfo's productpage calls reviews, and only reviews v2
 * and v3 call ratings, so two productpage traces through different versions differ in structure.
 */
import type { APIRequestContext } from "@playwright/test";
import { TraceComparePage } from "../pages/TraceComparePage.js";
import { TraceSearchPage } from "../pages/TraceSearchPage.js";
import { expect, test } from "../support/console-errors.js";
import { saveScreenshot } from "../support/screenshot.js";

const SERVICE = "productpage.bookinfo";

interface Summary {
  traceId: string;
  spanCount: number;
}

function isSummary(v: unknown): v is Summary {
  return (
    typeof v === "object" &&
    v !== null &&
    "traceId" in v &&
    typeof v.traceId === "string" &&
    "spanCount" in v &&
    typeof v.spanCount === "number"
  );
}

/**
 * A window that ends 20 s ago: the demo's traces finish within a second or two, so none in it is still
 * receiving spans and the counts in the list match the traces the comparison fetches.
 */
function settledWindow(): { start: number; end: number } {
  const end = (Date.now() - 20_000) * 1_000;
  return { start: end - 10 * 60_000_000, end };
}

async function settledTraces(request: APIRequestContext): Promise<Summary[]> {
  const { start, end } = settledWindow();
  const response = await request.get(`/api/traces?service=${SERVICE}&start=${start}&end=${end}&limit=50`);
  if (!response.ok()) return [];
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null || !("traces" in body) || !Array.isArray(body.traces)) return [];
  return body.traces.filter(isSummary);
}

test.describe("trace comparison", () => {
  // The demo server, Chromium and the specs share two cores with the demo's own traffic: allow for a slow page.
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async ({ request }) => {
    // Wait until the demo has sent traces of at least two shapes (with and without the ratings call).
    await expect
      .poll(async () => new Set((await settledTraces(request)).map((t) => t.spanCount)).size, {
        timeout: 60_000,
        intervals: [1000],
        message: "demo traces with two different span counts",
      })
      .toBeGreaterThan(1);
  });

  test("compares two traces ticked in the search results", async ({ page }, testInfo) => {
    const search = new TraceSearchPage(page);
    const { start, end } = settledWindow();
    await search.goto(`?service=${SERVICE}&lookback=custom&start=${start}&end=${end}&limit=50&sort=spans`);
    await expect(search.rows.first()).toBeVisible({ timeout: 30_000 });
    // Most spans first: the first row and the last have different shapes (the demo sent both, see beforeAll).
    const ids = await search.rowTraceIds();
    const a = ids[0] ?? "";
    const b = ids[ids.length - 1] ?? "";
    const spansA = await search.row(a).getByTestId("trace-span-count").textContent();
    const spansB = await search.row(b).getByTestId("trace-span-count").textContent();
    expect(spansA).not.toBe(spansB);
    await search.select(a);
    await search.select(b);
    await expect(search.row(a)).toHaveClass(/is-selected/);
    await saveScreenshot(page, testInfo, "trace-compare-selection");
    await search.compareButton.click();
    await expect(page).toHaveURL(new RegExp(`/traces/compare\\?a=${a}&b=${b}$`));

    const compare = new TraceComparePage(page);
    await expect(compare.summary).toBeVisible({ timeout: 30_000 });
    await expect(compare.sideA.getByTestId("compare-side-spans")).toHaveText(spansA ?? "");
    await expect(compare.sideB.getByTestId("compare-side-spans")).toHaveText(spansB ?? "");
    // The header counts the rows of each status (everything is expanded at first).
    const counts = {
      added: await compare.headerCount(compare.added),
      removed: await compare.headerCount(compare.removed),
      changed: await compare.headerCount(compare.changed),
    };
    for (const status of ["added", "removed", "changed"] as const) {
      await expect(compare.rowsWithStatus(status)).toHaveCount(counts[status]);
    }
    // Different span counts cannot align without a difference.
    expect(counts.added + counts.removed + counts.changed).toBeGreaterThan(0);
    // Per path, the counts of A and B add up to each trace's span count.
    const sum = async (testId: string) =>
      (await compare.rows.getByTestId(testId).allTextContents()).reduce((total, text) => total + Number(text), 0);
    expect(await sum("compare-count-a")).toBe(Number(spansA));
    expect(await sum("compare-count-b")).toBe(Number(spansB));
    await saveScreenshot(page, testInfo, "trace-compare-demo");

    const all = await compare.rows.count();
    await compare.collapseAll.click();
    await expect(compare.rows).not.toHaveCount(all);
    await saveScreenshot(page, testInfo, "trace-compare-collapsed");
    await compare.rows.first().getByTestId("compare-toggle").click();
    await expect(compare.rows.first().getByTestId("compare-toggle")).toHaveAttribute("aria-expanded", "true");
    await compare.expandAll.click();
    await expect(compare.rows).toHaveCount(all);
  });
});
