/**
 * The single-trace page against the demo mesh (issue #6 acceptance): rows against the API's span count, span
 * details, critical path, find in trace, graph and statistics views, JSON download re-opened from a file on
 * /traces/open, and hostile span data shown as text.
 */
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { TraceDetailPage } from "../pages/TraceDetailPage.js";
import { expect, test } from "../support/console-errors.js";
import { buildOtlpTrace, hexId } from "../support/otlp-trace.js";
import { saveScreenshot } from "../support/screenshot.js";

interface TraceRow {
  traceId: string;
  spanCount: number;
}

function isTraceRow(v: unknown): v is TraceRow {
  return (
    typeof v === "object" &&
    v !== null &&
    "traceId" in v &&
    typeof v.traceId === "string" &&
    "spanCount" in v &&
    typeof v.spanCount === "number"
  );
}

/** The demo's productpage trace with the most spans, once the demo has sent some (Istio names proxy spans `<svc>.<ns>`). */
async function demoTrace(request: APIRequestContext): Promise<TraceRow> {
  let best: TraceRow | undefined;
  await expect
    .poll(
      async () => {
        const response = await request.get("/api/traces?service=productpage.bookinfo&limit=20");
        if (!response.ok()) return 0;
        const body: unknown = await response.json();
        const traces =
          typeof body === "object" && body !== null && "traces" in body && Array.isArray(body.traces)
            ? body.traces.filter(isTraceRow)
            : [];
        best = traces.sort((a, b) => b.spanCount - a.spanCount)[0];
        return best?.spanCount ?? 0;
      },
      { timeout: 60_000, intervals: [1000], message: "the demo to store a productpage trace with several spans" },
    )
    .toBeGreaterThan(3);
  if (!best) throw new Error("no demo trace");
  return best;
}

async function apiSpanIds(request: APIRequestContext, traceId: string): Promise<string[]> {
  const body: unknown = await (await request.get(`/api/traces/${traceId}`)).json();
  if (typeof body !== "object" || body === null || !("spans" in body) || !Array.isArray(body.spans)) return [];
  return body.spans.map((s: unknown) => (typeof s === "object" && s !== null && "spanId" in s ? String(s.spanId) : ""));
}

test.describe("trace page", () => {
  test("a demo trace: rows, details, critical path, find, graph and statistics views", async ({
    page,
    request,
  }, testInfo) => {
    const { traceId } = await demoTrace(request);
    // Spans of a live trace can still arrive; count against what the API holds when the page loads.
    const spanIds = await apiSpanIds(request, traceId);
    const detail = new TraceDetailPage(page);
    await detail.goto(traceId);
    await expect(detail.spanRows).toHaveCount(spanIds.length);
    await expect(page.getByTestId("trace-span-count")).toHaveText(String(spanIds.length));
    await expect(detail.minimap.locator("canvas")).toBeVisible();
    await saveScreenshot(page, testInfo, "trace-page-timeline");

    const root = detail.spanRows.first();
    const rootId = await root.getAttribute("data-span-id");
    await root.getByTestId("span-select").click();
    await expect(detail.detail).toBeVisible();
    await expect(page.getByTestId("span-detail-id")).toHaveText(rootId ?? "");
    // The demo names proxy spans as Istio does, `<service>.<namespace>`: the link goes to that service's page.
    const rootService = (await root.locator(".wf-service").textContent()) ?? "";
    const [, service, namespace] = /^(.+)\.([^.]+)$/.exec(rootService) ?? [];
    await expect(page.getByTestId("span-service-link")).toHaveAttribute("href", `/services/${namespace}/${service}`);
    await expect(page).toHaveURL(new RegExp(`span=${rootId}`));
    await saveScreenshot(page, testInfo, "trace-page-span-detail");

    await detail.criticalPathToggle.click();
    await expect(page).toHaveURL(/cp=1/);
    await expect(detail.criticalRows.first()).toBeVisible();
    const critical = await detail.criticalRows.count();
    expect(critical).toBeGreaterThan(0);
    expect(critical).toBeLessThanOrEqual(spanIds.length);
    await saveScreenshot(page, testInfo, "trace-page-critical-path");

    await detail.findInput.fill("reviews");
    await expect(page).toHaveURL(/find=reviews/);
    // The count settles once the find has rendered; then every match is a highlighted row (a small trace: all
    // rows are drawn).
    await expect(detail.findCount).toHaveText(/^1 of [1-9]\d*$/);
    const matches = Number((await detail.findCount.textContent())?.split(" of ")[1]);
    await expect(detail.matchRows).toHaveCount(matches);
    await page.getByTestId("find-next").click();
    await expect(detail.findCount).toHaveText(matches > 1 ? `2 of ${matches}` : `1 of ${matches}`);
    await saveScreenshot(page, testInfo, "trace-page-find");

    await page.getByTestId("collapse-all").click();
    await expect(detail.spanRows).toHaveCount(1);
    await page.getByTestId("expand-all").click();
    await expect(detail.spanRows).toHaveCount(spanIds.length);

    await detail.showView("graph");
    await expect(page).toHaveURL(/view=graph/);
    await expect(detail.graphNodes.first()).toBeVisible();
    expect(await detail.graphNodes.count()).toBeGreaterThan(1);
    await saveScreenshot(page, testInfo, "trace-page-graph");

    await detail.showView("statistics");
    await expect(page).toHaveURL(/view=statistics/);
    await expect(detail.statsRows.first()).toBeVisible();
    const counts = await detail.stats.getByTestId("stats-count").allTextContents();
    expect(counts.reduce((sum, c) => sum + Number(c.replace(/,/g, "")), 0)).toBe(spanIds.length);
    await page.getByTestId("stats-sort-count").click();
    await saveScreenshot(page, testInfo, "trace-page-statistics");
  });

  test("the downloaded JSON re-opens on /traces/open with the same rows", async ({ page, request }, testInfo) => {
    const { traceId } = await demoTrace(request);
    const spanIds = await apiSpanIds(request, traceId);
    const detail = new TraceDetailPage(page);
    await detail.goto(traceId);
    await expect(detail.spanRows).toHaveCount(spanIds.length);
    const [download] = await Promise.all([page.waitForEvent("download"), detail.downloadButton.click()]);
    const file = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(file);
    const json: unknown = JSON.parse(readFileSync(file, "utf8"));
    expect(json).toHaveProperty("resourceSpans");

    await page.goto("/traces/open");
    await detail.fileInput.setInputFiles(file);
    await expect(page.getByTestId("trace-source")).toHaveText("OTLP file");
    await expect(detail.spanRows).toHaveCount(spanIds.length);
    const shown = await detail.spanRows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-span-id")));
    expect(shown.sort()).toEqual([...spanIds].sort());
    await saveScreenshot(page, testInfo, "trace-open-file");
  });

  test("hostile span data renders as text on the trace page and runs nothing", async ({ page, request }, testInfo) => {
    const hostile = "<img src=x onerror=window.__meshscopePwned=1>";
    const script = "<script>window.__meshscopePwned=2</script>";
    const ids = { root: hexId(8), child: hexId(8) };
    const trace = buildOtlpTrace(hexId(16), [
      {
        spanId: ids.root,
        parentSpanId: null,
        service: `${hostile}-svc`,
        name: script,
        kind: 2,
        startMs: 0,
        durationMs: 50,
        attributes: { [hostile]: script },
      },
      {
        spanId: ids.child,
        parentSpanId: ids.root,
        service: `svc-${hexId(2)}`,
        name: hostile,
        kind: 3,
        startMs: 5,
        durationMs: 30,
        error: true,
      },
    ]);
    expect((await request.post("/v1/traces", { data: trace.body })).status()).toBe(200);
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    const detail = new TraceDetailPage(page);
    await detail.goto(trace.traceId, `?find=${encodeURIComponent("img")}&cp=1`);
    await expect(detail.spanRows).toHaveCount(2);
    await expect(detail.spanRow(ids.child).getByTestId("span-name")).toHaveText(hostile);
    await expect(page.getByTestId("trace-root-name")).toHaveText(script);
    await detail.selectSpan(ids.root);
    await expect(detail.attributeValue(hostile)).toHaveText(script);
    await saveScreenshot(page, testInfo, "trace-page-hostile-timeline");
    for (const view of ["graph", "statistics"] as const) {
      await detail.showView(view);
      await expect(page.getByText(script).first()).toBeVisible();
    }
    await saveScreenshot(page, testInfo, "trace-page-hostile-statistics");

    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(await page.evaluate(() => "__meshscopePwned" in window)).toBe(false);
    expect(dialogs).toEqual([]);
  });
});
