import { type APIRequestContext, expect, type Locator, type Page } from "@playwright/test";

/** `/mesh-config`: the objects table with filters, the YAML editor, and the revisions tab with diffs and rollback. */
export class MeshConfigPage {
  readonly rows: Locator;
  readonly namespaceFilter: Locator;
  readonly kindFilter: Locator;
  readonly fileErrors: Locator;
  readonly editor: Locator;
  readonly editorText: Locator;
  readonly findings: Locator;
  readonly revisionRows: Locator;
  readonly revisionDetail: Locator;
  readonly revisionDiff: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId("mesh-object-row");
    this.namespaceFilter = page.getByTestId("filter-namespace");
    this.kindFilter = page.getByTestId("filter-kind");
    this.fileErrors = page.getByTestId("mesh-file-errors");
    this.editor = page.getByTestId("object-editor");
    this.editorText = this.editor.getByTestId("yaml-text");
    this.findings = this.editor.getByTestId("validation-item");
    this.revisionRows = page.getByTestId("revision-row");
    this.revisionDetail = page.getByTestId("revision-detail");
    this.revisionDiff = page.getByTestId("revision-diff");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/mesh-config${query}`);
    await expect(this.page.getByTestId("page-mesh-config")).toBeVisible();
  }

  row(kind: string, namespace: string, name: string): Locator {
    return this.page.locator(
      `[data-testid="mesh-object-row"][data-kind="${kind}"][data-namespace="${namespace}"][data-name="${name}"]`,
    );
  }

  async openObject(kind: string, namespace: string, name: string): Promise<void> {
    await this.row(kind, namespace, name).getByTestId("mesh-object-open").click();
    await expect(this.editor).toBeVisible();
  }

  /** Saves the editor; confirms the overwrite when the object was not written by Meshscope. */
  async save(): Promise<void> {
    await this.editor.getByTestId("object-save").click();
    const overwrite = this.page.getByTestId("overwrite-dialog");
    const saved = this.editor.getByTestId("object-saved");
    await expect(overwrite.or(saved)).toBeVisible({ timeout: 10_000 });
    if (await overwrite.isVisible()) await overwrite.getByTestId("confirm-button").click();
    await expect(overwrite).toBeHidden();
    await expect(saved).toBeVisible({ timeout: 10_000 });
  }

  async deleteObject(): Promise<void> {
    await this.editor.getByTestId("object-delete").click();
    await this.page.getByTestId("delete-dialog").getByTestId("confirm-button").click();
    // Either the object is gone (the editor closes) or the overwrite confirmation comes up first.
    const overwrite = this.page.getByTestId("overwrite-dialog");
    await expect(async () => {
      expect((await overwrite.isVisible()) || !(await this.editor.isVisible())).toBe(true);
    }).toPass({ timeout: 10_000 });
    if (await overwrite.isVisible()) await overwrite.getByTestId("confirm-button").click();
    await expect(this.editor).toBeHidden({ timeout: 10_000 });
  }

  async showRevisions(): Promise<void> {
    await this.page.getByTestId("mesh-tab-revisions").click();
    await expect(this.page.getByTestId("panel-mesh-revisions")).toBeVisible();
  }

  revisionRow(id: number): Locator {
    return this.page.locator(`[data-testid="revision-row"][data-revision="${id}"]`);
  }

  async openRevision(id: number): Promise<void> {
    await this.revisionRow(id).getByTestId("revision-open").click();
    await expect(this.revisionDetail).toBeVisible();
  }

  /** "Undo this revision" on the open revision, confirmed (and the overwrite confirmed if asked). */
  async undoOpenRevision(): Promise<void> {
    await this.revisionDetail.getByTestId("revision-undo").click();
    await this.page.getByTestId("rollback-dialog").getByTestId("confirm-button").click();
    const overwrite = this.page.getByTestId("overwrite-dialog");
    const done = this.page.getByTestId("rollback-done");
    await expect(done.or(overwrite)).toBeVisible({ timeout: 15_000 });
    if (await overwrite.isVisible()) await overwrite.getByTestId("confirm-button").click();
    await expect(done).toBeVisible({ timeout: 15_000 });
  }
}

interface RevisionRow {
  id: number;
  message: string;
}

function revisionRows(body: unknown): RevisionRow[] {
  if (typeof body !== "object" || body === null || !("revisions" in body) || !Array.isArray(body.revisions)) return [];
  return body.revisions.flatMap((r: unknown) =>
    typeof r === "object" && r !== null && "id" in r && typeof r.id === "number"
      ? [{ id: r.id, message: "message" in r && typeof r.message === "string" ? r.message : "" }]
      : [],
  );
}

/**
 * The mesh-config API as specs use it to set up and clean up (the UI under test does the rest): specs must not
 * leave config behind for the specs after them.
 */
export class MeshApi {
  constructor(readonly request: APIRequestContext) {}

  async revisions(): Promise<RevisionRow[]> {
    const res = await this.request.get("/api/mesh/revisions");
    expect(res.ok(), `GET /api/mesh/revisions answered ${res.status()}`).toBe(true);
    return revisionRows(await res.json());
  }

  async latestRevision(): Promise<number | null> {
    const ids = (await this.revisions()).map((r) => r.id);
    return ids.length > 0 ? Math.max(...ids) : null;
  }

  /**
   * Undoes revision `id` and everything after it: rolls back to the revision before it. A rollback restores the
   * state right after a revision, so the spec's first change needs a revision before it (see `baseline`).
   */
  async undo(id: number): Promise<void> {
    const before = (await this.revisions()).map((r) => r.id).filter((r) => r < id);
    if (before.length === 0) throw new Error(`revision ${id} has no revision before it to roll back to`);
    const res = await this.request.post(`/api/mesh/revisions/${Math.max(...before)}/rollback`, {
      data: { confirmOverwrite: true },
    });
    // 409 nothing_to_roll_back: already undone (by the UI under test).
    expect([200, 409], `rollback answered ${res.status()}: ${await res.text()}`).toContain(res.status());
  }

  /** PUTs an object as YAML (confirming the overwrite of a hand-written one); returns the revision. */
  async put(kind: string, namespace: string, name: string, yaml: string): Promise<number | null> {
    const res = await this.request.put(`/api/mesh/objects/${kind}/${namespace}/${name}?confirmOverwrite=true`, {
      data: yaml,
      headers: { "Content-Type": "application/yaml" },
    });
    expect(res.ok(), `PUT ${kind}/${namespace}/${name} answered ${res.status()}: ${await res.text()}`).toBe(true);
    const body: unknown = await res.json();
    return typeof body === "object" && body !== null && "revision" in body && typeof body.revision === "number"
      ? body.revision
      : null;
  }

  async remove(kind: string, namespace: string, name: string): Promise<void> {
    const res = await this.request.delete(`/api/mesh/objects/${kind}/${namespace}/${name}?confirmOverwrite=true`);
    expect([200, 404], `DELETE answered ${res.status()}`).toContain(res.status());
  }
}
