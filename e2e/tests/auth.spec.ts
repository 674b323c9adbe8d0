import type { APIRequestContext, Page } from "@playwright/test";
import { LoginPage, UserMenu } from "../pages/LoginPage.js";
import { MeshConfigPage } from "../pages/MeshConfigPage.js";
import { WizardDialog } from "../pages/WizardDialog.js";
import { expect, test } from "../support/console-errors.js";
import { type IstioRequestSeries, istioRequestsBody } from "../support/otlp-metrics.js";
import { saveScreenshot } from "../support/screenshot.js";

/**
 * Sign-in and roles in the `token` auth mode (issue #8), against the `auth` server of playwright.config.ts: its
 * tokens file names a viewer (`e2e-viewer`) and an editor (`e2e-editor`) whose random tokens arrive here through
 * the environment. What a person sees is asserted, and the server's refusals behind the disabled controls too.
 */

const NAMESPACE = "e2e-auth";
const SERVICE = "ratings";
const SERVICE_PATH = `/services/${NAMESPACE}/${SERVICE}`;
const READ_ONLY_REASON = "Your role (viewer) cannot change mesh config";

const series: IstioRequestSeries = {
  namespace: NAMESPACE,
  service: SERVICE,
  sourceApp: "reviews",
  destinationApp: SERVICE,
  version: "v1",
  responseCode: "200",
};

/** An object the viewer can open but not change, and a revision before the editor's (written by bearer token). */
const SEED_OBJECT = { kind: "DestinationRule", name: SERVICE };
const SEED_YAML = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${SERVICE}
  namespace: ${NAMESPACE}
spec:
  host: ${SERVICE}
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
`;

function tokenOf(env: "MESHSCOPE_E2E_VIEWER_TOKEN" | "MESHSCOPE_E2E_EDITOR_TOKEN"): string {
  const token = process.env[env];
  if (!token) throw new Error(`playwright.config.ts exports ${env}`);
  return token;
}

async function postMetrics(request: APIRequestContext): Promise<void> {
  // Three cumulative readings 10 s apart: the first is the counter's baseline, the next two make a rate.
  const now = Date.now();
  const start = now - 60_000;
  for (const [i, total] of [10, 110, 210].entries()) {
    const response = await request.post("/v1/metrics", {
      data: istioRequestsBody([{ series, total }], start, now - 20_000 + i * 10_000),
    });
    expect(response.ok(), await response.text()).toBe(true);
  }
}

/**
 * A fetch from inside the signed-in page (so with its session cookie): `csrf` sends the session's CSRF token
 * from `/api/auth/me` as the console does; without it, the call is what a cross-site form could send.
 */
async function postFromPage(page: Page, path: string, body: unknown, csrf: boolean) {
  return page.evaluate(
    async ({ path, body, csrf }) => {
      const me: unknown = await (await fetch("/api/auth/me")).json();
      const token =
        typeof me === "object" && me !== null && "csrfToken" in me && typeof me.csrfToken === "string"
          ? me.csrfToken
          : "";
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (csrf) headers["X-CSRF-Token"] = token;
      const res = await fetch(path, { method: "POST", headers, body: JSON.stringify(body) });
      const answer: unknown = await res.json().catch(() => null);
      const code =
        typeof answer === "object" &&
        answer !== null &&
        "error" in answer &&
        typeof answer.error === "object" &&
        answer.error !== null &&
        "code" in answer.error
          ? String(answer.error.code)
          : null;
      return { status: res.status, code, hadToken: token !== "" };
    },
    { path, body, csrf },
  );
}

const ABORT_BODY = {
  namespace: NAMESPACE,
  service: SERVICE,
  abort: { percentage: { value: 100 }, httpStatus: 503 },
};

test.beforeAll(async ({ request }) => {
  await postMetrics(request);
  // The host must be a known service: the metrics above make it one once the ingest has committed them.
  await expect(async () => {
    const put = await request.put(
      `/api/mesh/objects/${SEED_OBJECT.kind}/${NAMESPACE}/${SEED_OBJECT.name}?confirmOverwrite=true`,
      {
        data: SEED_YAML,
        headers: {
          "Content-Type": "application/yaml",
          Authorization: `Bearer ${tokenOf("MESHSCOPE_E2E_EDITOR_TOKEN")}`,
        },
      },
    );
    expect(put.ok(), `seeding ${SEED_OBJECT.kind}/${SEED_OBJECT.name}: ${put.status()} ${await put.text()}`).toBe(true);
  }).toPass({ timeout: 20_000 });
});

test.describe("token mode: no session", () => {
  // Chromium logs every 401 answer as a console error; the refused sign-in is this test's point.
  test.use({ expectedConsoleErrors: [/status of 401/] });

  test("token mode: visiting the graph lands on the login page, and a wrong token is refused", async ({
    page,
    request,
  }, testInfo) => {
    const anonymous = await request.get("/api/services");
    expect(anonymous.status()).toBe(401);

    await page.goto(`/graph?namespaces=${NAMESPACE}`);
    const login = new LoginPage(page);
    await login.expectShown();
    await expect(page).toHaveURL(/\/login\?/);
    expect(login.returnTo()).toBe(`/graph?namespaces=${NAMESPACE}`);
    await expect(page.getByTestId("sidebar")).toHaveCount(0);
    await expect(login.tokenInput).toHaveAttribute("type", "password");
    // Token mode without an OIDC issuer offers no single sign-on.
    await expect(login.sso).toHaveCount(0);

    await login.submitToken(`${tokenOf("MESHSCOPE_E2E_VIEWER_TOKEN")}-wrong`);
    await expect(login.error).toHaveText("That token is not valid. Check it and try again.");
    await expect(login.tokenInput).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/login\?/);
    await saveScreenshot(page, testInfo, "auth-login-refused");
  });
});

test.describe("token mode: viewer", () => {
  // The direct API call at the end is refused on purpose (403), then the ended session's poll gets a 401;
  // Chromium logs both as console errors.
  test.use({ expectedConsoleErrors: [/status of (403|401)/] });

  test("token mode: a viewer opens every page, sees mesh-config controls disabled with the reason, and the API refuses a wizard", async ({
    page,
  }, testInfo) => {
    test.setTimeout(90_000);
    // Deep link first: after sign-in the console returns to it.
    await page.goto(SERVICE_PATH);
    const login = new LoginPage(page);
    await login.expectShown();
    expect(login.returnTo()).toBe(SERVICE_PATH);
    await login.signIn(tokenOf("MESHSCOPE_E2E_VIEWER_TOKEN"), "e2e-viewer");
    await expect(page).toHaveURL(new RegExp(`${SERVICE_PATH}$`));
    const user = new UserMenu(page);
    await expect(user.role).toHaveText("viewer");
    await expect(user.signOutButton).toBeVisible();

    // The wizards of the service: disabled, and the page says why.
    await expect(page.getByTestId("page-title")).toHaveText(SERVICE, { timeout: 15_000 });
    const wizardMenu = page.getByTestId("service-mesh-config").getByTestId("wizard-menu");
    await expect(wizardMenu.getByTestId("wizard-menu-button")).toBeDisabled();
    await expect(wizardMenu.getByTestId("read-only-reason")).toHaveText(`${READ_ONLY_REASON}.`);
    await saveScreenshot(page, testInfo, "auth-viewer-service");

    // Every section opens and shows no error panel.
    for (const [nav, pageId] of [
      ["nav-overview", "page-overview"],
      ["nav-graph", "page-graph"],
      ["nav-services", "page-services"],
      ["nav-traces", "page-traces"],
      ["nav-mesh-config", "page-mesh-config"],
    ] as const) {
      await page.getByTestId(nav).click();
      await expect(page.getByTestId(pageId), nav).toBeVisible({ timeout: 15_000 });
      await expect(page.getByTestId("state-loading"), nav).toHaveCount(0, { timeout: 15_000 });
      await expect(page.getByTestId("state-error"), nav).toHaveCount(0);
      await expect(page.getByTestId("route-error"), nav).toHaveCount(0);
    }

    // An object opens read-only: Save and Delete disabled, with the reason.
    const mesh = new MeshConfigPage(page);
    await mesh.openObject(SEED_OBJECT.kind, NAMESPACE, SEED_OBJECT.name);
    await expect(mesh.editor.getByTestId("object-save")).toBeDisabled();
    await expect(mesh.editor.getByTestId("object-delete")).toBeDisabled();
    await expect(mesh.editor.getByTestId("read-only-reason")).toHaveText(`${READ_ONLY_REASON}.`);
    await expect(mesh.editorText).toHaveAttribute("readonly", "");
    await saveScreenshot(page, testInfo, "auth-viewer-object");

    // A revision can be read, not undone.
    await mesh.showRevisions();
    await expect(mesh.revisionRows.first()).toBeVisible({ timeout: 15_000 });
    const seedRevision = Number(await mesh.revisionRows.last().getAttribute("data-revision"));
    await mesh.openRevision(seedRevision);
    await expect(mesh.revisionDetail.getByTestId("revision-undo")).toBeDisabled();
    await expect(mesh.revisionDetail.getByTestId("read-only-reason")).toHaveText(`${READ_ONLY_REASON}.`);
    await expect(mesh.revisionDiff).toBeVisible();
    await saveScreenshot(page, testInfo, "auth-viewer-revision");

    // Defense in depth: the viewer's own session, with its CSRF token, cannot apply a wizard through the API.
    const refused = await postFromPage(page, "/api/mesh/wizards/fault-injection", ABORT_BODY, true);
    expect(refused).toEqual({ status: 403, code: "forbidden", hadToken: true });

    // The session ends behind the console's back (expired, or signed out in another tab): the next poll of the
    // revisions gets a 401, and the console goes to the login page, keeping the page to return to.
    await page.context().clearCookies();
    // The revisions poll every 10 s.
    await login.expectShown(30_000);
    expect(login.returnTo()).toMatch(/^\/mesh-config\?/);
    await expect(page.getByTestId("sidebar")).toHaveCount(0);
  });
});

test.describe("token mode: editor", () => {
  // The call without a CSRF token is refused on purpose (403), logged by Chromium as a console error.
  test.use({ expectedConsoleErrors: [/status of 403/] });

  test("token mode: an editor applies a wizard recorded under the token's name, and signing out returns to the login page", async ({
    page,
  }, testInfo) => {
    test.setTimeout(90_000);
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(tokenOf("MESHSCOPE_E2E_EDITOR_TOKEN"), "e2e-editor");
    await expect(page).toHaveURL(/\/overview$/);
    const user = new UserMenu(page);
    await expect(user.role).toHaveText("editor");

    // The session cookie alone is not enough for a change: without the CSRF header the server refuses it.
    const noCsrf = await postFromPage(page, "/api/mesh/wizards/fault-injection?dryRun=true", ABORT_BODY, false);
    expect(noCsrf).toEqual({ status: 403, code: "csrf", hadToken: true });

    await page.goto(SERVICE_PATH);
    await expect(page.getByTestId("page-title")).toHaveText(SERVICE, { timeout: 15_000 });
    const scope = page.getByTestId("service-mesh-config");
    await expect(scope.getByTestId("read-only-reason")).toHaveCount(0);
    const wizard = new WizardDialog(page);
    await wizard.open(scope, "fault-injection");
    await wizard.toggle("fault-abort", true);
    await wizard.field("abort-percent").fill("100");
    await wizard.field("abort-status").fill("503");
    await wizard.goToPreview();
    await expect(wizard.applyButton).toBeEnabled();
    const revision = await wizard.apply();
    await wizard.close();

    const mesh = new MeshConfigPage(page);
    await mesh.goto("?tab=revisions");
    await mesh.showRevisions();
    const row = mesh.revisionRow(revision);
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row.locator("td").nth(2)).toHaveText("e2e-editor");
    await expect(row).toContainText("fault-injection");
    await mesh.openRevision(revision);
    await expect(mesh.revisionDetail.getByTestId("revision-undo")).toBeEnabled();
    await expect(mesh.revisionDetail).toContainText("e2e-editor");
    await saveScreenshot(page, testInfo, "auth-editor-revision");

    await user.signOut();
    await login.expectShown();
    // The session is gone, not only the page: a deep link leads to the login page again.
    await page.goto("/mesh-config");
    await login.expectShown();
    expect(login.returnTo()).toBe("/mesh-config");
    await saveScreenshot(page, testInfo, "auth-signed-out");
  });
});
