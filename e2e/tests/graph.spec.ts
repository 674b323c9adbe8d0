import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { GraphPage } from "../pages/GraphPage.js";
import { saveScreenshot } from "../support/screenshot.js";

/**
 * The service graph against the built server with its demo mesh (Bookinfo). One more service is pushed by the
 * spec itself, as Istio's standard metrics in OTLP/JSON to `/v1/metrics`, in a namespace of its own: a service
 * whose name is hostile markup (DESIGN §6: mesh data is untrusted and must render as text).
 */

const HOSTILE = `<img src=x onerror="window.__graphPwned=1">`;
const UNTRUSTED_NS = "e2e-untrusted";

interface Workload {
  namespace: string;
  app: string;
  version: string;
}
const wl = (app: string, version = "v1", namespace = UNTRUSTED_NS): Workload => ({ namespace, app, version });

interface Hop {
  from: Workload;
  service: string;
  to: Workload;
  rps: number;
  /** Share 0–1 of the requests answered 500. */
  errors?: number;
  protocol?: "http" | "grpc";
}

const HOPS: Hop[] = [{ from: wl("e2e-client"), service: HOSTILE, to: wl(HOSTILE), rps: 2, errors: 0.25 }];

type Attr = { key: string; value: { stringValue: string } };

/** Istio's standard labels for one hop, as the given proxy reports them (istio.md §1). */
function labels(hop: Hop, reporter: "source" | "destination", code: string): Attr[] {
  const l: Record<string, string> = {
    reporter,
    source_workload: `${hop.from.app}-${hop.from.version}`,
    source_workload_namespace: hop.from.namespace,
    source_canonical_service: hop.from.app,
    source_canonical_revision: hop.from.version,
    destination_service: `${hop.service}.${hop.to.namespace}.svc.cluster.local`,
    destination_service_name: hop.service,
    destination_service_namespace: hop.to.namespace,
    destination_workload: `${hop.to.app}-${hop.to.version}`,
    destination_workload_namespace: hop.to.namespace,
    destination_canonical_service: hop.to.app,
    destination_canonical_revision: hop.to.version,
    request_protocol: hop.protocol ?? "http",
    response_code: code,
    response_flags: "-",
    connection_security_policy: reporter === "destination" ? "mutual_tls" : "unknown",
  };
  return Object.entries(l).map(([key, value]) => ({ key, value: { stringValue: value } }));
}

const BOUNDS = [5, 10, 25, 50, 100, 250];
const SHARES = [0.3, 0.3, 0.25, 0.1, 0.04, 0.01, 0];

/**
 * Cumulative counters sampled at now-60 s, now-30 s and now (ns since the epoch as decimal strings, OTLP/JSON),
 * so the server's rate() sees a steady `rps` over the last minute.
 */
function metricsBody(nowMs: number): unknown {
  const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
  const times = [nowMs - 60_000, nowMs - 30_000, nowMs];
  const start = ns(nowMs - 120_000);
  const sums: unknown[] = [];
  const histograms: unknown[] = [];
  for (const hop of HOPS) {
    const codes: [string, number][] = [["200", 1 - (hop.errors ?? 0)]];
    if (hop.errors) codes.push(["500", hop.errors]);
    for (const reporter of ["source", "destination"] as const) {
      for (const [code, share] of codes) {
        const attributes = labels(hop, reporter, code);
        times.forEach((t, i) => {
          const count = hop.rps * share * 30 * i;
          sums.push({ attributes, startTimeUnixNano: start, timeUnixNano: ns(t), asDouble: count });
          histograms.push({
            attributes,
            startTimeUnixNano: start,
            timeUnixNano: ns(t),
            count: String(Math.round(count)),
            sum: count * 12,
            explicitBounds: BOUNDS,
            bucketCounts: SHARES.map((s) => String(Math.round(count * s))),
          });
        });
      }
    }
  }
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e-istio-proxies" } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name: "istio_requests_total",
                sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: sums },
              },
              {
                name: "istio_request_duration_milliseconds",
                histogram: { aggregationTemporality: 2, dataPoints: histograms },
              },
            ],
          },
        ],
      },
    ],
  };
}

async function pushHostileService(request: APIRequestContext): Promise<void> {
  const res = await request.post("/v1/metrics", { data: metricsBody(Date.now()) });
  expect(res.status()).toBe(200);
}

/** Waits until the demo's Bookinfo traffic shows on the graph API: reviews routes to three versions. */
async function waitForBookinfo(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const res = await request.get("/api/graph?namespaces=bookinfo");
        if (!res.ok()) return 0;
        const body: unknown = await res.json();
        const edges =
          typeof body === "object" && body && "edges" in body && Array.isArray(body.edges) ? body.edges : [];
        return edges.filter((e: unknown) => isEdgeFrom(e, REVIEWS)).length;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(3);
}

function isEdgeFrom(e: unknown, source: string): boolean {
  return typeof e === "object" && e !== null && "source" in e && e.source === source && "rps" in e && Number(e.rps) > 0;
}

/** Console errors and uncaught exceptions of a page: every spec ends with none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

const QUERY = "?namespaces=bookinfo,istio-system";
const REVIEWS = "service:bookinfo/reviews";
const RATINGS = "service:bookinfo/ratings";

test.describe("service graph", () => {
  test.beforeAll(async ({ request }) => {
    await pushHostileService(request);
    await waitForBookinfo(request);
  });

  test("shows the Bookinfo nodes and edges with non-zero request-rate labels", async ({ page }, testInfo) => {
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    await graph.goto(QUERY);
    const nodes = await graph.drawnNodes();
    const ids = nodes.map((n) => n.id);
    for (const v of ["v1", "v2", "v3"]) expect(ids).toContain(`app:bookinfo/reviews/${v}`);
    expect(ids).toEqual(expect.arrayContaining([REVIEWS, "service:bookinfo/ratings", "app:bookinfo/productpage/v1"]));
    // Versions sit in their app's box, apps in their namespace's box.
    expect((await graph.drawnNode("app:bookinfo/reviews/v2")).parent).toBe("box:app:bookinfo/reviews");
    const edges = await graph.drawnEdges();
    const toReviews = edges.filter((e) => e.source === REVIEWS);
    expect(toReviews).toHaveLength(3);
    for (const e of toReviews) expect(e.label).toMatch(/^(?!0 )\d+\.\d+ rps$/);
    // Edges with traffic are coloured by their health: one colour per state, healthy green, degraded orange,
    // failure red (Kiali's colours); never the grey of idle edges.
    const colours = new Map<string, Set<string>>();
    for (const e of edges.filter((x) => x.protocol !== "tcp" && x.label !== "")) {
      colours.set(e.health, (colours.get(e.health) ?? new Set()).add(e.lineColor));
    }
    expect(colours.size).toBeGreaterThan(0);
    for (const [health, set] of colours) {
      expect(set.size).toBe(1);
      const [r = 0, g = 0, b = 0] = ([...set][0] ?? "").match(/\d+/g)?.map(Number) ?? [];
      if (health === "healthy") expect(g).toBeGreaterThan(Math.max(r, b));
      if (health === "failure") expect(r).toBeGreaterThan(Math.max(g, b));
      if (health === "degraded") expect(r).toBeGreaterThan(b);
    }
    await expect(graph.status).toContainText("nodes");
    await saveScreenshot(page, testInfo, "graph-bookinfo");
    expect(errors).toEqual([]);
  });

  test("selecting reviews opens the side panel with its three versions", async ({ page }, testInfo) => {
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    await graph.goto(QUERY);
    await graph.clickNode(REVIEWS);
    await expect(graph.sideTitle).toHaveText("reviews");
    await expect(graph.versions).toHaveCount(3);
    await expect(graph.versions.nth(0)).toContainText("v1");
    await expect(graph.versions.nth(1)).toContainText("v2");
    await expect(graph.versions.nth(2)).toContainText("v3");
    for (let i = 0; i < 3; i++)
      await expect(graph.versions.nth(i)).toContainText(/[1-9]\d*\.\d+ rps|0\.\d*[1-9]\d* rps/);
    await expect(graph.sidePanel.getByTestId("link-service-page")).toHaveAttribute(
      "href",
      "/services/bookinfo/reviews",
    );
    await expect(graph.sidePanel.getByTestId("link-traces")).toHaveAttribute("href", /service=reviews.bookinfo/);
    await expect(page.getByTestId("chart-rps")).toBeVisible();
    expect(new URL(page.url()).searchParams.get("sel")).toBe(REVIEWS);
    expect((await graph.drawnNode(REVIEWS)).selected).toBe(true);
    await saveScreenshot(page, testInfo, "graph-reviews-selected");
    expect(errors).toEqual([]);
  });

  test("a find expression highlights the matching nodes, and a bad one says why", async ({ page }, testInfo) => {
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    await graph.goto(QUERY);
    await graph.find.fill("health = sad");
    await expect(graph.findMessage).toContainText('"sad" is not a health');
    await expect(graph.find).toHaveAttribute("aria-invalid", "true");
    expect((await graph.drawnNodes()).filter((n) => n.found)).toHaveLength(0);

    await graph.find.fill("name = ratings or rps > 1000");
    await expect(graph.findMessage).toHaveText("2 matches");
    await expect(graph.find).toHaveAttribute("aria-invalid", "false");
    const found = (await graph.drawnNodes()).filter((n) => n.found).map((n) => n.id);
    expect(found.sort()).toEqual(["app:bookinfo/ratings/v1", "service:bookinfo/ratings"]);
    await expect(page).toHaveURL(/find=name/);
    await saveScreenshot(page, testInfo, "graph-find");
    expect(errors).toEqual([]);
  });

  test("switching graph type and reloading keeps the state from the URL", async ({ page }, testInfo) => {
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    await graph.goto(QUERY);
    await graph.graphType.selectOption("workload");
    await expect(page).toHaveURL(/type=workload/);
    await graph.waitForLayout();
    await page.getByTestId("edge-labels").locator("summary").click();
    // React Router commits navigations in a transition: while the main thread is busy the controlled checkbox shows
    // its old state for a moment, so wait for the committed state rather than asserting it right after the click.
    const p95 = page.getByTestId("edge-label-p95");
    await p95.click();
    await expect(p95).toBeChecked();
    await expect(page).toHaveURL(/labels=rps%2Cp95|labels=rps,p95/);
    await page.reload();
    await graph.waitForLayout();
    await expect(graph.graphType).toHaveValue("workload");
    const kinds = new Set((await graph.drawnNodes()).filter((n) => n.kind !== "box").map((n) => n.kind));
    expect(kinds.has("workload")).toBe(true);
    expect(kinds.has("app")).toBe(false);
    const labelled = (await graph.drawnEdges()).filter((e) => /p95 \d/.test(e.label));
    expect(labelled.length).toBeGreaterThan(0);
    await saveScreenshot(page, testInfo, "graph-workload-reloaded");
    expect(errors).toEqual([]);
  });

  test("a hostile service name renders as text, on the canvas and in the side panel", async ({ page }, testInfo) => {
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    const id = `service:${UNTRUSTED_NS}/${HOSTILE}`;
    await graph.goto(`?namespaces=${UNTRUSTED_NS}&sel=${encodeURIComponent(id)}`);
    expect((await graph.drawnNode(id)).label).toBe(HOSTILE);
    await expect(graph.sideTitle).toHaveText(HOSTILE);
    await expect(graph.sidePanel.locator("img")).toHaveCount(0);
    expect(await page.evaluate(() => "__graphPwned" in window)).toBe(false);
    // Its app box carries the name as text too, and its version is listed.
    await expect(graph.versions).toHaveCount(1);
    await saveScreenshot(page, testInfo, "graph-hostile-name");
    expect(errors).toEqual([]);
  });
});

/** Istio's ratings fault sample, made to abort every request (samples/bookinfo/networking/…-test-abort.yaml). */
const RATINGS_ABORT = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: bookinfo
spec:
  hosts:
  - ratings
  http:
  - fault:
      abort:
        percentage:
          value: 100
        httpStatus: 500
    route:
    - destination:
        host: ratings
`;

test.describe("mesh config on the graph", () => {
  test("writing a fault VirtualService into the config directory turns ratings red within 60 s", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const dir = process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR;
    if (dir === undefined) throw new Error("playwright.config.ts exports MESHSCOPE_E2E_MESH_CONFIG_DIR");
    const file = path.join(dir, "bookinfo", "virtualservice-ratings.yaml");
    const errors = watchErrors(page);
    const graph = new GraphPage(page);
    // A one-minute window, so the aborted requests soon outweigh the healthy ones before the change.
    await graph.goto(`${QUERY}&window=60&refresh=10s`);
    expect((await graph.drawnNode(RATINGS)).health).not.toBe("failure");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, RATINGS_ABORT);
    try {
      // The aborts are client-side (FI): reported by reviews' proxies, ending at the ratings service node.
      await expect(async () => {
        await page.reload();
        await graph.waitForLayout();
        expect((await graph.drawnNode(RATINGS)).health).toBe("failure");
      }).toPass({ timeout: 60_000, intervals: [3_000] });
      const node = await graph.drawnNode(RATINGS);
      const [r = 0, g = 0, b = 0] = node.borderColor.match(/\d+/g)?.map(Number) ?? [];
      expect(r).toBeGreaterThan(Math.max(g, b));
      const into = (await graph.drawnEdges()).filter((e) => e.target === RATINGS && e.label !== "");
      expect(into.some((e) => e.health === "failure")).toBe(true);
      await saveScreenshot(page, testInfo, "graph-ratings-fault");
    } finally {
      rmSync(file, { force: true });
    }
    expect(errors).toEqual([]);
  });
});
