import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { MeshConfigPage } from "../pages/MeshConfigPage.js";
import { saveScreenshot } from "../support/screenshot.js";

/**
 * The Mesh Config page against the demo server's config directory: hand-written files (one broken), validation
 * with the line of each finding, filters in the URL, save, delete and undo through revisions. The objects live
 * in a namespace of their own that the demo does not serve, so Bookinfo's traffic is untouched.
 */

const NS = "e2e-mesh";
const DR_FILE = `${NS}/destinationrule-e2e-ratings.yaml`;
const BROKEN_FILE = `${NS}/broken.yaml`;

/**
 * A subset whose labels match no workload (an error the editor must place on its line). A DestinationRule in a
 * namespace with no clients changes no traffic: Istio looks DestinationRules up in the client's and the service's
 * namespaces, and subsets only matter once a VirtualService routes to them.
 */
const RATINGS_DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: e2e-ratings
  namespace: ${NS}
spec:
  host: ratings.bookinfo.svc.cluster.local
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v9
    labels:
      version: v9
`;

/** A namespace-wide mTLS policy for a namespace that runs nothing. */
const NS_PEER_AUTH = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: ${NS}
spec:
  mtls:
    mode: PERMISSIVE
`;

function meshConfigDir(): string {
  const dir = process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR;
  if (dir === undefined) throw new Error("playwright.config.ts exports MESHSCOPE_E2E_MESH_CONFIG_DIR");
  return dir;
}

/**
 * Console errors and uncaught exceptions. Saving an object Meshscope did not write is answered 409 (the overwrite
 * refusal carrying the diff the page then shows), and Chromium logs every non-2xx fetch: that one line is expected.
 */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 409/.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

test.describe("mesh config page", () => {
  test.beforeAll(() => {
    const dir = path.join(meshConfigDir(), NS);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(meshConfigDir(), DR_FILE), RATINGS_DR);
    writeFileSync(path.join(dir, "peerauthentication-default.yaml"), NS_PEER_AUTH);
    writeFileSync(path.join(meshConfigDir(), BROKEN_FILE), "kind: VirtualService\nspec: [unclosed\n");
  });

  // External edits are how this spec set up its objects, and how it removes them: nothing stays for later specs.
  test.afterAll(() => {
    rmSync(path.join(meshConfigDir(), NS), { recursive: true, force: true });
  });

  test("lists hand-written objects with validation, filters them in the URL and reports an unreadable file", async ({
    page,
  }, testInfo) => {
    const errors = watchErrors(page);
    const mesh = new MeshConfigPage(page);
    await mesh.goto();
    await expect(mesh.row("DestinationRule", NS, "e2e-ratings")).toBeVisible({ timeout: 20_000 });
    await expect(mesh.fileErrors).toContainText(BROKEN_FILE);

    await mesh.namespaceFilter.selectOption(NS);
    await expect(page).toHaveURL(/ns=e2e-mesh/);
    await expect(mesh.rows).toHaveCount(2);
    await mesh.kindFilter.selectOption("DestinationRule");
    await expect(page).toHaveURL(/kind=DestinationRule/);
    await expect(mesh.rows).toHaveCount(1);
    const row = mesh.row("DestinationRule", NS, "e2e-ratings");
    await expect(row).toContainText(DR_FILE);
    await expect(row).toContainText("external");
    await expect(row.getByTestId("validation-status")).toHaveAttribute("data-state", "error");
    await saveScreenshot(page, testInfo, "mesh-config-objects");

    // The filters are in the URL: a reload keeps them.
    await page.reload();
    await expect(mesh.rows).toHaveCount(1);
    expect(errors).toEqual([]);
  });

  test("edits an object with inline validation, saves it as a revision, deletes it and undoes the delete", async ({
    page,
  }, testInfo) => {
    test.setTimeout(60_000);
    const errors = watchErrors(page);
    const mesh = new MeshConfigPage(page);
    await mesh.goto(`?ns=${NS}&kind=DestinationRule`);
    await mesh.openObject("DestinationRule", NS, "e2e-ratings");
    await expect(page).toHaveURL(/obj=DestinationRule%2Fe2e-mesh%2Fe2e-ratings/);
    await expect(mesh.editorText).toHaveValue(/version: v9/);

    // The subset that selects no workload is an error, placed on a line of that subset.
    const subsetError = mesh.findings.filter({ hasText: "MS0201" }).first();
    await expect(subsetError).toHaveAttribute("data-severity", "error", { timeout: 10_000 });
    const text = await mesh.editorText.inputValue();
    const lines = text.split("\n");
    const first = lines.findIndex((l) => l.includes("name: v9")) + 1;
    const line = Number(/line (\d+)/.exec((await subsetError.textContent()) ?? "")?.[1]);
    expect(line).toBeGreaterThanOrEqual(first);
    expect(line).toBeLessThanOrEqual(first + 2);
    await expect(subsetError).toContainText(`line ${line}`);
    await expect(mesh.editor.locator(`.yaml-line-no.is-error[data-line="${line}"]`)).toHaveCount(1);
    await expect(mesh.editor.getByTestId("object-save")).toBeDisabled();
    await saveScreenshot(page, testInfo, "mesh-config-editor-error");

    // Selecting a version that runs clears the error and enables Save.
    await mesh.editorText.fill(text.replace("version: v9", "version: v1"));
    await expect(mesh.findings.filter({ hasText: "MS0201" })).toHaveCount(0, { timeout: 10_000 });
    await expect(mesh.editor.locator('[data-testid="validation-item"][data-severity="error"]')).toHaveCount(0);
    await mesh.save();
    const file = path.join(meshConfigDir(), DR_FILE);
    await expect.poll(() => readFileSync(file, "utf8"), { timeout: 10_000 }).not.toContain("version: v9");
    await expect(mesh.row("DestinationRule", NS, "e2e-ratings").getByTestId("validation-status")).not.toHaveAttribute(
      "data-state",
      "error",
      { timeout: 15_000 },
    );
    await saveScreenshot(page, testInfo, "mesh-config-editor-saved");
    const saved = readFileSync(file, "utf8");

    await mesh.deleteObject();
    await expect(mesh.row("DestinationRule", NS, "e2e-ratings")).toHaveCount(0, { timeout: 15_000 });
    await expect.poll(() => existsSync(file)).toBe(false);

    // The delete is the newest revision; undoing it brings the saved file back as it was.
    await mesh.showRevisions();
    const newest = mesh.revisionRows.first();
    await expect(newest).toContainText("delete DestinationRule/e2e-ratings");
    await newest.getByTestId("revision-open").click();
    await expect(mesh.revisionDiff.locator('[data-kind="del"]').filter({ hasText: "name: e2e-ratings" })).toHaveCount(
      1,
    );
    await saveScreenshot(page, testInfo, "mesh-config-delete-revision");
    await mesh.undoOpenRevision();
    await expect.poll(() => (existsSync(file) ? readFileSync(file, "utf8") : ""), { timeout: 10_000 }).toBe(saved);
    await saveScreenshot(page, testInfo, "mesh-config-delete-undone");
    expect(errors).toEqual([]);
  });
});
