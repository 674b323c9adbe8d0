import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { GraphPage } from "../pages/GraphPage.js";
import { MeshApi, MeshConfigPage } from "../pages/MeshConfigPage.js";
import { WizardDialog } from "../pages/WizardDialog.js";
import { waitForBookinfo } from "../support/demo.js";
import { saveScreenshot } from "../support/screenshot.js";

/**
 * The traffic wizards against the demo (Bookinfo obeys the config directory): each wizard is opened from the graph
 * side panel, previewed, applied, and checked against what the demo's traffic then does. Every change is undone
 * after its test, so the specs after this one see the mesh as it was.
 */

const QUERY = "?namespaces=bookinfo&window=60&refresh=10s";
const REVIEWS = "service:bookinfo/reviews";
const RATINGS = "service:bookinfo/ratings";

/**
 * A rollback restores the state right after a revision, so undoing the spec's first change needs a revision before
 * it. This one changes no traffic: a DestinationRule for `details` with the default load-balancing policy.
 */
const BASELINE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: details
  namespace: bookinfo
spec:
  host: details
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
`;

function meshConfigDir(): string {
  const dir = process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR;
  if (dir === undefined) throw new Error("playwright.config.ts exports MESHSCOPE_E2E_MESH_CONFIG_DIR");
  return dir;
}

/** Every file under the config directory with its text, by relative path. */
function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = readFileSync(full, "utf8");
  }
  return out;
}

interface Observed {
  versions: { version: string; observedShare: number }[];
}

async function observedShares(request: APIRequestContext, service: string): Promise<Record<string, number>> {
  const res = await request.get(`/api/mesh/observed?namespace=bookinfo&service=${service}&window=20`);
  if (!res.ok()) return {};
  const body: unknown = await res.json();
  if (typeof body !== "object" || body === null || !("versions" in body) || !Array.isArray(body.versions)) return {};
  const versions: Observed["versions"] = body.versions.filter(
    (v: unknown): v is Observed["versions"][number] =>
      typeof v === "object" && v !== null && "version" in v && "observedShare" in v,
  );
  return Object.fromEntries(versions.map((v) => [v.version, v.observedShare]));
}

async function openWizardOn(page: Page, nodeId: string, wizard: string): Promise<WizardDialog> {
  const graph = new GraphPage(page);
  await graph.goto(QUERY);
  await graph.clickNode(nodeId);
  await expect(graph.sidePanel.getByTestId("node-details")).toHaveAttribute("data-node-id", nodeId);
  const dialog = new WizardDialog(page);
  await dialog.open(graph.sidePanel, wizard);
  return dialog;
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

test.describe("traffic wizards", () => {
  let baseline: number | null = null;
  /** The revision the running test applied, undone after it whatever happened. */
  let applied: number | null = null;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(90_000);
    await waitForBookinfo(request);
    baseline = await new MeshApi(request).put("DestinationRule", "bookinfo", "details", BASELINE);
  });

  // Each hook uses its own request context: Playwright does not share one between beforeAll and the tests.
  test.afterEach(async ({ request }) => {
    if (applied !== null) await new MeshApi(request).undo(applied);
    applied = null;
  });

  test.afterAll(async ({ request }) => {
    if (baseline !== null) await new MeshApi(request).remove("DestinationRule", "bookinfo", "details");
  });

  test("shifting reviews to v1 80 / v3 20 converges on the observed split, and rolling it back restores files and traffic", async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(240_000);
    const errors = watchErrors(page);
    const dir = meshConfigDir();
    const before = snapshotDir(dir);
    const wizard = await openWizardOn(page, REVIEWS, "traffic-shifting");
    expect(await wizard.weights()).toEqual({ v1: 33, v2: 33, v3: 34 });
    // Linked weights: each edit rebalances the others, so the total never leaves 100.
    await wizard.weightInput("v2").fill("0");
    await wizard.weightInput("v3").fill("20");
    await expect.poll(() => wizard.weights()).toEqual({ v1: 80, v2: 0, v3: 20 });
    await saveScreenshot(page, testInfo, "wizard-traffic-shifting-form");

    await wizard.goToPreview();
    await expect(wizard.diff).toContainText("+");
    await expect(wizard.diff.locator('[data-kind="add"]').filter({ hasText: "weight: 80" })).toHaveCount(1);
    await expect(wizard.validation.locator('[data-severity="error"]')).toHaveCount(0);
    await saveScreenshot(page, testInfo, "wizard-traffic-shifting-diff");
    await wizard.showYaml();
    await expect(wizard.yaml).toContainText("kind: VirtualService");
    await expect(wizard.yaml).toContainText("subset: v3");
    await saveScreenshot(page, testInfo, "wizard-traffic-shifting-yaml");

    applied = await wizard.apply();
    await expect(wizard.observed).toBeVisible();
    // The demo obeys the new weights within seconds; the panel's 30 s window then converges on 80/20.
    await expect(async () => {
      const v1 = await wizard.observedShare("v1");
      const v3 = await wizard.observedShare("v3");
      expect(Math.abs((v1 ?? 0) - 80), `observed v1 ${v1}%`).toBeLessThanOrEqual(8);
      expect(Math.abs((v3 ?? 0) - 20), `observed v3 ${v3}%`).toBeLessThanOrEqual(8);
    }).toPass({ timeout: 60_000, intervals: [2_000] });
    await expect(wizard.dialog.getByTestId("observed-version-v1")).toHaveAttribute("data-configured", "80");
    await saveScreenshot(page, testInfo, "wizard-traffic-shifting-observed");

    // The revision is listed on the Mesh Config page, and undoing it there restores the files and the traffic.
    await wizard.revisionLink.click();
    const mesh = new MeshConfigPage(page);
    await expect(mesh.revisionRow(applied)).toContainText("traffic-shifting");
    await expect(mesh.revisionDetail).toBeVisible();
    await expect(mesh.revisionDiff).toContainText("weight: 80");
    await saveScreenshot(page, testInfo, "mesh-config-revision");
    await mesh.undoOpenRevision();
    await expect.poll(() => snapshotDir(dir), { timeout: 10_000 }).toEqual(before);
    await saveScreenshot(page, testInfo, "mesh-config-rolled-back");
    await expect
      .poll(async () => (await observedShares(request, "reviews")).v2 ?? 0, { timeout: 60_000, intervals: [2_000] })
      .toBeGreaterThan(20);
    applied = null;
    expect(errors).toEqual([]);
  });

  test("aborting every request to ratings with 500 turns ratings red on the graph", async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    const errors = watchErrors(page);
    const wizard = await openWizardOn(page, RATINGS, "fault-injection");
    await wizard.toggle("fault-abort", true);
    await wizard.field("abort-percent").fill("100");
    await wizard.field("abort-status").fill("500");
    await wizard.goToPreview();
    await wizard.showYaml();
    await expect(wizard.yaml).toContainText("httpStatus: 500");
    await saveScreenshot(page, testInfo, "wizard-fault-preview");
    applied = await wizard.apply();
    await expect
      .poll(async () => wizard.dialog.getByTestId("observed-abort").getAttribute("data-observed"), {
        timeout: 60_000,
        intervals: [2_000],
      })
      .toMatch(/^(9\d|100)\./);
    await saveScreenshot(page, testInfo, "wizard-fault-observed");
    await wizard.close();

    const graph = new GraphPage(page);
    await expect(async () => {
      await page.reload();
      await graph.waitForLayout();
      expect((await graph.drawnNode(RATINGS)).health).toBe("failure");
    }).toPass({ timeout: 60_000, intervals: [3_000] });
    const [r = 0, g = 0, b = 0] = (await graph.drawnNode(RATINGS)).borderColor.match(/\d+/g)?.map(Number) ?? [];
    expect(r).toBeGreaterThan(Math.max(g, b));
    await saveScreenshot(page, testInfo, "graph-ratings-fault-wizard");
    expect(errors).toEqual([]);
  });

  test("a one-connection circuit breaker on reviews under load shows as tripped on the graph", async ({
    page,
  }, testInfo) => {
    test.setTimeout(150_000);
    const errors = watchErrors(page);
    const wizard = await openWizardOn(page, REVIEWS, "circuit-breaker");
    await wizard.toggle("cb-pool", true);
    await wizard.field("cb-max-connections").fill("1");
    await wizard.field("cb-max-pending").fill("1");
    await wizard.field("cb-max-per-connection").fill("1");
    await wizard.goToPreview();
    await wizard.showYaml();
    await expect(wizard.yaml).toContainText("maxConnections: 1");
    await expect(wizard.yaml).toContainText("http1MaxPendingRequests: 1");
    await saveScreenshot(page, testInfo, "wizard-breaker-preview");
    applied = await wizard.apply();
    await expect
      .poll(async () => Number((await wizard.dialog.getByTestId("observed-uo").textContent())?.split(" ")[0]), {
        timeout: 60_000,
        intervals: [2_000],
      })
      .toBeGreaterThan(0);
    await saveScreenshot(page, testInfo, "wizard-breaker-observed");
    await wizard.close();

    const graph = new GraphPage(page);
    await expect(async () => {
      await page.reload();
      await graph.waitForLayout();
      const tripped = (await graph.drawnEdges()).filter((e) => e.target === REVIEWS && e.label.includes("CB tripped"));
      expect(tripped.length).toBeGreaterThan(0);
    }).toPass({ timeout: 60_000, intervals: [3_000] });
    await saveScreenshot(page, testInfo, "graph-breaker-tripped");
    expect(errors).toEqual([]);
  });
});
