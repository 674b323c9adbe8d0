/**
 * Untrusted Istio YAML on the Mesh Config page (DESIGN §6; issue #8 point 3): a hand-written object whose name,
 * labels, annotations and hosts are markup, a `javascript:` URL, template syntax, bidi overrides, zero-width and
 * control characters, emoji and a 10 KB value; a file whose error message quotes a hostile kind; and an object
 * saved through the API with the same strings, so they reach the validation messages and a revision's diff. All of
 * it must show as text, run nothing and keep the layout. Everything lives in a namespace the demo does not serve,
 * and is removed afterwards, so Bookinfo and the specs after this one are untouched.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MeshApi, MeshConfigPage } from "../pages/MeshConfigPage.js";
import { expect, test } from "../support/console-errors.js";
import {
  expectNoPageOverflow,
  expectNothingInjected,
  HOSTILE,
  LONG,
  watchDialogs,
} from "../support/hostile-strings.js";
import { saveScreenshot } from "../support/screenshot.js";

const NS = "e2e-hostile-yaml";
const HAND_WRITTEN_FILE = `${NS}/hostile.yaml`;
const BROKEN_FILE = `${NS}/hostile-kind.yaml`;
/** The object saved through the API (a PUT names it in the path, so its name is a valid Kubernetes name). */
const SAVED = "e2e-hostile-routes";

/**
 * A YAML double-quoted scalar: JSON's escapes are YAML's, and the characters YAML does not allow raw (DEL, C1
 * controls) or that would hide in the file (bidi and zero-width) are written as `\uXXXX` too.
 */
function q(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A VirtualService for a host no client calls (so it changes no demo traffic), every string field hostile. The
 * server refuses to save a route to an unknown destination (MS0106), so the saved one routes to a Bookinfo service.
 */
function hostileVirtualService(name: string, destination: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${q(name)}
  namespace: ${NS}
  labels:
    app: ${q(HOSTILE.svg)}
    e2e.rtl: ${q(HOSTILE.rtl)}
    e2e.zero-width: ${q(HOSTILE.zeroWidth)}
  annotations:
    e2e/script: ${q(HOSTILE.script)}
    e2e/link: ${q(HOSTILE.js)}
    e2e/control: ${q(HOSTILE.control)}
    e2e/emoji: ${q(HOSTILE.emoji)}
    e2e/long: ${q(LONG)}
spec:
  hosts:
  - ${q(HOSTILE.template)}
  http:
  - route:
    - destination:
        host: ${q(destination)}
`;
}

function meshConfigDir(): string {
  const dir = process.env.MESHSCOPE_E2E_MESH_CONFIG_DIR;
  if (dir === undefined) throw new Error("playwright.config.ts exports MESHSCOPE_E2E_MESH_CONFIG_DIR");
  return dir;
}

test.describe("hostile mesh config", () => {
  let savedRevision: number | null = null;

  test.beforeAll(async ({ request }) => {
    mkdirSync(path.join(meshConfigDir(), NS), { recursive: true });
    writeFileSync(path.join(meshConfigDir(), HAND_WRITTEN_FILE), hostileVirtualService(HOSTILE.img, HOSTILE.img));
    writeFileSync(
      path.join(meshConfigDir(), BROKEN_FILE),
      `apiVersion: networking.istio.io/v1\nkind: ${q(HOSTILE.script)}\nmetadata:\n  name: broken\nspec: {}\n`,
    );
    savedRevision = await new MeshApi(request).put(
      "VirtualService",
      NS,
      SAVED,
      hostileVirtualService(SAVED, "ratings.bookinfo.svc.cluster.local"),
    );
  });

  test.afterAll(async ({ request }) => {
    await new MeshApi(request).remove("VirtualService", NS, SAVED);
    rmSync(path.join(meshConfigDir(), NS), { recursive: true, force: true });
  });

  test("hostile names, labels, annotations and hosts show as text in the table, editor, findings and diff", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const dialogs = watchDialogs(page);
    const mesh = new MeshConfigPage(page);
    await mesh.goto(`?ns=${NS}`);
    const handWritten = mesh.row("VirtualService", NS, HOSTILE.img);
    await expect(handWritten).toBeVisible({ timeout: 20_000 });
    await expect(handWritten.getByTestId("mesh-object-open")).toHaveText(HOSTILE.img);
    await expect(mesh.row("VirtualService", NS, SAVED)).toBeVisible();
    await expect(mesh.rows).toHaveCount(2);
    // The unreadable file's message quotes its kind, as text.
    await expect(mesh.fileErrors).toContainText(BROKEN_FILE);
    await expect(mesh.fileErrors).toContainText(HOSTILE.script);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-yaml-objects");

    // The hand-written object in the editor: its YAML is the textarea's value; the findings name the other object.
    await mesh.openObject("VirtualService", NS, HOSTILE.img);
    await expect(mesh.editorText).toHaveValue(/kind: VirtualService/);
    const text = await mesh.editorText.inputValue();
    for (const s of [HOSTILE.img, HOSTILE.svg, HOSTILE.script, HOSTILE.js, HOSTILE.template, LONG]) {
      expect(text.includes(s), `the editor's YAML holds ${s.slice(0, 40)}`).toBe(true);
    }
    // Its destination is unknown (an error quoting it), and both objects route the same host (a warning quoting
    // the host and naming the other object).
    const unknownHost = mesh.findings.filter({ hasText: "MS0106" });
    await expect(unknownHost).toHaveCount(1, { timeout: 15_000 });
    await expect(unknownHost).toContainText(HOSTILE.img);
    const duplicateHost = mesh.findings.filter({ hasText: HOSTILE.template });
    await expect(duplicateHost.first()).toBeVisible();
    await expect(duplicateHost.first()).toContainText(SAVED);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-yaml-editor-hand-written");

    await mesh.goto(`?ns=${NS}`);
    await mesh.openObject("VirtualService", NS, SAVED);
    await expect(mesh.editorText).toHaveValue(new RegExp(`name: ${SAVED}`));
    const savedFinding = mesh.findings.filter({ hasText: HOSTILE.template });
    await expect(savedFinding.first()).toBeVisible({ timeout: 15_000 });
    await expect(savedFinding.first()).toContainText(HOSTILE.img);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-yaml-editor-saved");

    // The revision the PUT made: its diff adds every hostile line, as text.
    if (savedRevision === null) throw new Error("the PUT answered no revision");
    await mesh.showRevisions();
    await mesh.openRevision(savedRevision);
    const added = mesh.revisionDiff.locator('[data-kind="add"]');
    for (const s of [HOSTILE.svg, HOSTILE.script, HOSTILE.js, HOSTILE.template]) {
      await expect(added.filter({ hasText: s }).first()).toBeVisible();
    }
    await expect(added.filter({ hasText: LONG.slice(0, 200) })).toHaveCount(1);
    await expectNothingInjected(page, dialogs);
    await expectNoPageOverflow(page);
    await saveScreenshot(page, testInfo, "hostile-yaml-revision-diff");
  });
});
