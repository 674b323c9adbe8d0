/**
 * Untrusted strings on every page of the plain server (DESIGN §6; issue #8 point 3): mesh metrics whose service,
 * app, version and namespace labels are markup, a `javascript:` URL, template syntax, bidi overrides, zero-width
 * and control characters, emoji and a 10 KB name; and traces carrying the same in every string field a span has.
 * Each page must show them as text, run nothing, build no `javascript:` link, log no error, and keep its layout.
 */
import { AppShell } from "../pages/AppShell.js";
import { GraphPage } from "../pages/GraphPage.js";
import { OverviewPage } from "../pages/OverviewPage.js";
import { ServiceDetailPage } from "../pages/ServiceDetailPage.js";
import { ServicesPage } from "../pages/ServicesPage.js";
import { TraceComparePage } from "../pages/TraceComparePage.js";
import { TraceDetailPage } from "../pages/TraceDetailPage.js";
import { TraceSearchPage } from "../pages/TraceSearchPage.js";
import { expect, test } from "../support/console-errors.js";
import {
  expectLongText,
  expectNoPageOverflow,
  expectNothingInjected,
  HOSTILE,
  LONG,
  watchDialogs,
} from "../support/hostile-strings.js";
import { type IstioRequestSeries, istioRequestsBody } from "../support/otlp-metrics.js";
import { type RichResource, richTraceBody } from "../support/otlp-rich-trace.js";
import { hexId } from "../support/otlp-trace.js";
import { saveScreenshot } from "../support/screenshot.js";

const NAMESPACE = "e2e-hostile";
/** A namespace label is untrusted too; it has no comma, the separator of `?namespaces=`. */
const HOSTILE_NAMESPACE = `${HOSTILE.img}-ns`;

const series = (service: string, version: string, responseCode = "200"): IstioRequestSeries => ({
  namespace: NAMESPACE,
  service,
  sourceApp: "caller",
  destinationApp: service,
  version,
  responseCode,
});

/** One service per kind of string; the service name and its version carry two different ones. */
const SERIES: IstioRequestSeries[] = [
  series(HOSTILE.img, HOSTILE.svg),
  // All 500s: this edge is the overview's top failing edge.
  series(HOSTILE.script, HOSTILE.template, "500"),
  series(HOSTILE.js, HOSTILE.rtl),
  series(HOSTILE.zeroWidth, HOSTILE.control),
  series(HOSTILE.emoji, "v1"),
  series(LONG, "v1"),
];
const IN_HOSTILE_NAMESPACE: IstioRequestSeries = { ...series("plain-svc", "v1"), namespace: HOSTILE_NAMESPACE };

const nsQuery = (ns: string) => `?namespaces=${encodeURIComponent(ns)}`;

test.describe("hostile names", () => {
  test.beforeAll(async ({ request }) => {
    // Three cumulative readings 10 s apart: the first is the counter's baseline, the next two make a rate.
    const now = Date.now();
    const start = now - 60_000;
    for (const [i, total] of [10, 110, 210].entries()) {
      const response = await request.post("/v1/metrics", {
        data: istioRequestsBody(
          [...SERIES, IN_HOSTILE_NAMESPACE].map((s) => ({ series: s, total })),
          start,
          now - 20_000 + i * 10_000,
        ),
      });
      expect(response.ok(), await response.text()).toBe(true);
    }
  });

  test("the services list and every service page show hostile service and version names as text", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const dialogs = watchDialogs(page);
    const services = new ServicesPage(page);
    await services.goto(nsQuery(NAMESPACE));
    for (const s of SERIES) {
      const row = services.row(NAMESPACE, s.service);
      await expect(row).toHaveCount(1, { timeout: 15_000 });
      await expect(services.versions(row)).toHaveText([s.version]);
    }
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-services");

    const detail = new ServiceDetailPage(page);
    for (const s of SERIES) {
      // The first through the table's link (its href must lead back to this name), the rest by URL.
      if (s === SERIES[0]) {
        await services.row(NAMESPACE, s.service).getByTestId("service-link").click();
      } else {
        await detail.goto(NAMESPACE, s.service);
      }
      await expect(page.getByTestId("page-title")).toBeVisible({ timeout: 15_000 });
      await expectLongText(page.getByTestId("page-title"), s.service);
      await expect(detail.versionChart(s.version)).toBeVisible({ timeout: 15_000 });
      await expect(detail.versionChart(s.version)).toContainText(s.version);
      await expectNothingInjected(page, dialogs);
      await expectNoPageOverflow(page);
      if (s.service === LONG) await saveScreenshot(page, testInfo, "hostile-service-detail-long");
      if (s === SERIES[0]) await saveScreenshot(page, testInfo, "hostile-service-detail");
    }
  });

  test("the overview shows a hostile namespace card, namespace picker entry and failing edge as text", async ({
    page,
  }, testInfo) => {
    test.setTimeout(90_000);
    const dialogs = watchDialogs(page);
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(overview.card(NAMESPACE)).toBeVisible({ timeout: 15_000 });
    const hostileCard = overview.card(HOSTILE_NAMESPACE);
    await expect(hostileCard.getByRole("heading")).toHaveText(HOSTILE_NAMESPACE);
    // The caller's calls into the <script> service all fail: the worst edge, named as text.
    // (The service → app edge behind it fails too.)
    const failing = overview.failingEdges.filter({ hasText: HOSTILE.script }).filter({ hasText: "caller" });
    await expect(failing).toHaveCount(1, { timeout: 15_000 });
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-overview");

    const shell = new AppShell(page);
    await shell.namespaceSummary.click();
    await expect(page.getByRole("checkbox", { name: HOSTILE_NAMESPACE, exact: true })).toBeVisible();
    await expectNothingInjected(page, dialogs);
    await saveScreenshot(page, testInfo, "hostile-namespace-picker");
    await page.keyboard.press("Escape");

    // The card's link scopes the services list to that namespace: its one service is listed under it.
    await hostileCard.getByRole("link", { name: HOSTILE_NAMESPACE, exact: true }).click();
    const services = new ServicesPage(page);
    await expect(services.row(HOSTILE_NAMESPACE, "plain-svc")).toHaveCount(1, { timeout: 15_000 });
    await expectNothingInjected(page, dialogs);
  });

  test("the graph draws hostile names as labels and shows them as text in the side panel, find, hide and legend", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const dialogs = watchDialogs(page);
    const graph = new GraphPage(page);
    await graph.goto(nsQuery(NAMESPACE));
    const serviceId = (name: string) => `service:${NAMESPACE}/${name}`;
    await expect
      .poll(async () => (await graph.drawnNodes()).map((n) => n.id), { timeout: 20_000 })
      .toEqual(expect.arrayContaining(SERIES.map((s) => serviceId(s.service))));
    // Names are drawn whole, except the 10 KB one: the canvas shows its first 63 characters and an ellipsis (a
    // label without spaces cannot wrap), the side panel below shows all of it.
    for (const s of SERIES) {
      const drawn = (await graph.drawnNode(serviceId(s.service))).label;
      if (s.service === LONG) expect(drawn).toBe(`${LONG.slice(0, 63)}…`);
      else expect(drawn).toBe(s.service);
    }
    const labels = (await graph.drawnNodes()).map((n) => n.label).join("\n");
    for (const s of SERIES) expect(labels).toContain(s.version);
    await expectNothingInjected(page, dialogs);
    await saveScreenshot(page, testInfo, "hostile-graph");

    // A selected node: its name is the side panel's title and its version is listed.
    await graph.goto(`${nsQuery(NAMESPACE)}&sel=${encodeURIComponent(serviceId(HOSTILE.img))}`);
    await expect(graph.sideTitle).toHaveText(HOSTILE.img);
    await expect(graph.versions.filter({ hasText: HOSTILE.svg })).toHaveCount(1);
    await expectNothingInjected(page, dialogs);

    // A selected edge names both ends.
    const edge = (await graph.drawnEdges()).find((e) => e.target === serviceId(HOSTILE.script));
    if (!edge) throw new Error("no edge into the <script> service");
    await graph.goto(`${nsQuery(NAMESPACE)}&sel=${encodeURIComponent(edge.id)}`);
    await expect(graph.sideTitle).toContainText(HOSTILE.script);
    await expect(graph.sidePanel).toContainText("caller");
    await expectNothingInjected(page, dialogs);
    await saveScreenshot(page, testInfo, "hostile-graph-edge");

    // The long name selected: the panel holds it without pushing the page sideways.
    await graph.goto(`${nsQuery(NAMESPACE)}&sel=${encodeURIComponent(serviceId(LONG))}`);
    await expectLongText(graph.sideTitle, LONG);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-graph-long");

    // Find by a hostile name (a quoted value); the matches are the <script> service and its app.
    await graph.goto(nsQuery(NAMESPACE));
    await graph.find.fill(`service = "${HOSTILE.script}"`);
    await expect(graph.findMessage).toHaveText(/^\d+ match(es)?$/, { timeout: 10_000 });
    await expect
      .poll(async () =>
        (await graph.drawnNodes())
          .filter((n) => n.found)
          .map((n) => n.label)
          .join("\n"),
      )
      .toContain(HOSTILE.script);
    // Hide by others (both quote styles); those nodes go from the canvas. With the 10 KB name hidden, Fit frames
    // the rest at a zoom where the labels can be read in the screenshot.
    await graph.hide.fill(`version = '${HOSTILE.svg}' or name = "${HOSTILE.js}" or name startswith "long-"`);
    for (const id of [serviceId(HOSTILE.js), serviceId(LONG)]) {
      await expect.poll(async () => (await graph.drawnNode(id)).visible).toBe(false);
    }
    await page.getByTestId("graph-fit").click();
    await expectNothingInjected(page, dialogs);
    await saveScreenshot(page, testInfo, "hostile-graph-labels");

    // A find the language refuses quotes the hostile value back in its message, as text.
    await graph.find.fill(`health = "${HOSTILE.img}"`);
    await expect(graph.find).toHaveAttribute("aria-invalid", "true");
    await expect(graph.findMessage).toContainText(HOSTILE.img);
    if (await graph.legendOpen.isVisible()) await graph.legendOpen.click();
    await expect(graph.legend).toBeVisible();
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-graph-find");
  });

  test("traces: search rows, trace page views, span details, find and compare show hostile span data as text", async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(150_000);
    const dialogs = watchDialogs(page);
    // The specs share one database (and --repeat-each reposts): this run's traces carry a tag of their own.
    const run = hexId(4);
    const a = { traceId: hexId(16), root: hexId(8), call: hexId(8), handler: hexId(8), inner: hexId(8) };
    const b = { ...a, traceId: hexId(16), extra: hexId(8) };
    const NESTED_SERVICE = `${HOSTILE.emoji} ${HOSTILE.rtl}`;
    const NESTED_NAME = `${HOSTILE.zeroWidth} ${HOSTILE.control}`;

    const resources = (ids: typeof a, link: { traceId: string; spanId: string } | null, extra: string | null) => {
      const frontend: RichResource = {
        attributes: Object.fromEntries([
          ["service.name", HOSTILE.img],
          ["k8s.namespace.name", NAMESPACE],
          [HOSTILE.svg, HOSTILE.script],
          ["deployment.environment", HOSTILE.js],
          // Object.fromEntries makes `__proto__` an own key, as JSON.parse does on the server and in the page.
          ["__proto__", HOSTILE.template],
        ]),
        scope: { name: HOSTILE.script, version: HOSTILE.emoji },
        spans: [
          {
            spanId: ids.root,
            parentSpanId: null,
            name: HOSTILE.script,
            kind: 2,
            startMs: 0,
            durationMs: 120,
            attributes: Object.fromEntries([
              ["e2e.run", run],
              [HOSTILE.img, HOSTILE.svg],
              ["url.full", HOSTILE.js],
              ["note", HOSTILE.template],
              ["rtl", HOSTILE.rtl],
              ["zero.width", HOSTILE.zeroWidth],
              ["control", HOSTILE.control],
              ["emoji", HOSTILE.emoji],
              ["long", LONG],
              ["list", [HOSTILE.img, HOSTILE.script]],
              ["constructor", HOSTILE.template],
              ["__proto__", HOSTILE.img],
            ]),
            events: [
              {
                name: HOSTILE.img,
                atMs: 5,
                attributes: { [HOSTILE.script]: HOSTILE.svg, "exception.message": HOSTILE.js },
              },
            ],
            links: link ? [{ ...link, attributes: { [HOSTILE.template]: HOSTILE.js } }] : [],
            status: { code: 1 },
          },
          {
            spanId: ids.call,
            parentSpanId: ids.root,
            name: LONG,
            kind: 3,
            startMs: 10,
            durationMs: 90,
            status: { code: 2, message: HOSTILE.img },
          },
          ...(extra
            ? [
                {
                  spanId: extra,
                  parentSpanId: ids.root,
                  name: HOSTILE.svg,
                  kind: 1 as const,
                  startMs: 105,
                  durationMs: 5,
                },
              ]
            : []),
        ],
      };
      const backend: RichResource = {
        // A namespace from the resource makes the span detail link to a service page: the path must encode it.
        attributes: { "service.name": HOSTILE.js, "service.namespace": HOSTILE.template },
        scope: { name: "backend" },
        spans: [
          {
            spanId: ids.handler,
            parentSpanId: ids.call,
            name: HOSTILE.template,
            kind: 2,
            startMs: 20,
            durationMs: 60,
            attributes: { emoji: HOSTILE.emoji, rtl: HOSTILE.rtl },
          },
        ],
      };
      const nested: RichResource = {
        attributes: { "service.name": NESTED_SERVICE },
        scope: { name: "nested" },
        spans: [
          { spanId: ids.inner, parentSpanId: ids.handler, name: NESTED_NAME, kind: 1, startMs: 30, durationMs: 20 },
        ],
      };
      return [frontend, backend, nested];
    };
    const bodyA = richTraceBody(
      a.traceId,
      resources(a, { traceId: b.traceId, spanId: b.root }, null),
      Date.now() - 4_000,
    );
    const bodyB = richTraceBody(b.traceId, resources(b, null, b.extra));
    for (const body of [bodyA, bodyB]) {
      const response = await request.post("/v1/traces", { data: body });
      expect(response.status(), await response.text()).toBe(200);
    }

    // Search: the rows name the root service and span, the chips every service.
    const search = new TraceSearchPage(page);
    await search.goto();
    await search.search({ service: HOSTILE.img, tags: `e2e.run=${run}` });
    await expect(search.rows).toHaveCount(2, { timeout: 15_000 });
    const rowA = search.row(a.traceId);
    await expect(rowA.getByTestId("trace-link")).toHaveText(`${HOSTILE.img}: ${HOSTILE.script}`);
    for (const service of [HOSTILE.img, HOSTILE.js, NESTED_SERVICE]) {
      await expect(rowA.getByTestId("service-chip").filter({ hasText: service })).toHaveCount(1);
    }
    await search.scatterPoint(a.traceId).hover();
    await expect(search.scatterTooltip).toContainText(`${HOSTILE.img}: ${HOSTILE.script}`);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-search");

    // The trace page: header, waterfall rows, and the long name without a sideways page.
    await search.openTrace(a.traceId);
    const detail = new TraceDetailPage(page);
    await expect(detail.spanRows).toHaveCount(4, { timeout: 15_000 });
    await expect(page.getByTestId("trace-root-service")).toHaveText(HOSTILE.img);
    await expect(page.getByTestId("trace-root-name")).toHaveText(HOSTILE.script);
    await expectLongText(detail.spanRow(a.call).getByTestId("span-name"), LONG);
    await expect(detail.spanRow(a.handler).getByTestId("span-name")).toHaveText(HOSTILE.template);
    await expect(detail.spanRow(a.handler)).toContainText(HOSTILE.js);
    await expect(detail.spanRow(a.inner).getByTestId("span-name")).toHaveText(NESTED_NAME);
    await expect(detail.spanRow(a.inner)).toContainText(NESTED_SERVICE);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);

    // The root's details: attributes, resource, scope, events and the link to trace B.
    await detail.selectSpan(a.root);
    await expect(detail.detailName).toHaveText(HOSTILE.script);
    await expect(detail.attributeValue(HOSTILE.img)).toHaveText(HOSTILE.svg);
    await expect(detail.attributeValue("url.full")).toHaveText(HOSTILE.js);
    await expect(detail.attributeValue("note")).toHaveText(HOSTILE.template);
    await expect(detail.attributeValue("rtl")).toHaveText(HOSTILE.rtl);
    await expect(detail.attributeValue("zero.width")).toHaveText(HOSTILE.zeroWidth);
    await expect(detail.attributeValue("control")).toHaveText(HOSTILE.control);
    await expect(detail.attributeValue("emoji")).toHaveText(HOSTILE.emoji);
    // Attribute values are cut to the server's --max-attribute-length (4096 by default); span names are not.
    await expect
      .poll(async () => {
        const shown = (await detail.attributeValue("long").textContent()) ?? "";
        return { prefix: LONG.startsWith(shown), atLeast4096: shown.length >= 4096 };
      })
      .toEqual({ prefix: true, atLeast4096: true });
    await expect(detail.attributeValue("list")).toHaveText(JSON.stringify([HOSTILE.img, HOSTILE.script]));
    await expect(detail.attributeValue("constructor")).toHaveText(HOSTILE.template);
    await expect(detail.attributeValue("__proto__")).toHaveText(HOSTILE.img);
    await expect(detail.resource).toContainText(HOSTILE.svg);
    await expect(detail.resource).toContainText(HOSTILE.script);
    await expect(detail.resource).toContainText(HOSTILE.js);
    await expect(detail.resource.getByRole("row").filter({ hasText: "__proto__" })).toContainText(HOSTILE.template);
    await expect(detail.detail).toContainText(`${HOSTILE.script} ${HOSTILE.emoji}`);
    await expect(detail.events).toContainText(HOSTILE.img);
    await expect(detail.events).toContainText(HOSTILE.script);
    await expect(detail.events).toContainText(HOSTILE.svg);
    await expect(detail.links).toContainText(HOSTILE.template);
    await expect(detail.links).toContainText(HOSTILE.js);
    await expect(detail.links.getByRole("link")).toHaveAttribute("href", `/traces/${b.traceId}?span=${b.root}`);
    // The root's service page exists (the metrics above): the link encodes the name.
    await expect(page.getByTestId("span-service-link")).toHaveAttribute(
      "href",
      `/services/${NAMESPACE}/${encodeURIComponent(HOSTILE.img)}`,
    );
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-root-detail");

    await detail.selectSpan(a.call);
    await expectLongText(detail.detailName, LONG);
    await expect(page.getByTestId("span-detail-status")).toHaveText("error");
    await expect(detail.detail).toContainText(HOSTILE.img);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-long-span");

    // A namespace from the resource: the service link is a path with both names encoded, not their text.
    await detail.selectSpan(a.handler);
    const serviceLink = page.getByTestId("span-service-link");
    await expect(serviceLink).toHaveText(HOSTILE.js);
    const href = (await serviceLink.getAttribute("href")) ?? "";
    expect(href.split("/").map(decodeURIComponent)).toEqual(["", "services", HOSTILE.template, HOSTILE.js]);
    await expectNothingInjected(page, dialogs);

    // Find in the trace by a hostile string.
    await detail.findInput.fill(HOSTILE.template);
    await expect(detail.findCount).toHaveText(/^1 of [1-9]\d*$/, { timeout: 10_000 });
    await expect(detail.matchRows.first()).toBeVisible();
    await expectNothingInjected(page, dialogs);
    await saveScreenshot(page, testInfo, "hostile-trace-find");

    await detail.showView("graph");
    for (const text of [HOSTILE.img, HOSTILE.js, HOSTILE.script, HOSTILE.template, NESTED_SERVICE]) {
      await expect(detail.graph).toContainText(text);
    }
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-graph");

    await detail.showView("statistics");
    await expect(detail.statsRows).toHaveCount(4);
    for (const text of [HOSTILE.script, LONG, HOSTILE.template, NESTED_NAME]) {
      await expect(detail.stats.getByTestId("stats-operation").filter({ hasText: text })).toHaveCount(1);
    }
    await expect(detail.stats).toContainText(NESTED_SERVICE);
    // The 10 KB operation wraps: its row's numbers stay on screen.
    const longStats = detail.statsRows.filter({
      has: page.getByTestId("stats-operation").filter({ hasText: LONG.slice(0, 100) }),
    });
    await expect(longStats.getByTestId("stats-count")).toBeInViewport();
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-statistics");

    // Compare: B has one span more, named with the svg payload.
    const compare = new TraceComparePage(page);
    await compare.goto(a.traceId, b.traceId);
    await expect(compare.summary).toContainText("1 added, 0 removed", { timeout: 15_000 });
    const added = compare.rowsWithStatus("added");
    await expect(added.getByTestId("compare-name")).toHaveText(HOSTILE.svg);
    await expect(added.getByTestId("compare-service")).toHaveText(HOSTILE.img);
    for (const name of [HOSTILE.script, LONG, HOSTILE.template, NESTED_NAME]) {
      await expect(compare.rows.getByTestId("compare-name").filter({ hasText: name })).toHaveCount(1);
    }
    await expect(compare.sideA.getByTestId("compare-side-link")).toHaveText(`${HOSTILE.img}: ${HOSTILE.script}`);
    // The service beside the 10 KB operation keeps its line (it was once squeezed to a letter per line).
    const longRow = compare.rows.filter({
      has: page.getByTestId("compare-name").filter({ hasText: LONG.slice(0, 100) }),
    });
    const serviceBox = await longRow.getByTestId("compare-service").boundingBox();
    expect(serviceBox?.height ?? Number.POSITIVE_INFINITY, "height of the service name, px").toBeLessThan(50);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-trace-compare");
  });
});
