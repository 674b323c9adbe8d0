import { expect, type Locator, type Page } from "@playwright/test";

/**
 * A traffic wizard (features/wizards): opened from a "Configure traffic" menu, then form → preview → apply → the
 * configured-vs-observed panel.
 */
export class WizardDialog {
  readonly dialog: Locator;
  readonly step: Locator;
  readonly previewButton: Locator;
  readonly applyButton: Locator;
  readonly preview: Locator;
  readonly diff: Locator;
  readonly yaml: Locator;
  readonly validation: Locator;
  readonly applied: Locator;
  readonly revisionLink: Locator;
  readonly observed: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId("wizard-dialog");
    this.step = this.dialog.getByTestId("wizard-step");
    this.previewButton = this.dialog.getByTestId("wizard-preview-button");
    this.applyButton = this.dialog.getByTestId("wizard-apply");
    this.preview = this.dialog.getByTestId("wizard-preview");
    this.diff = this.dialog.getByTestId("wizard-diff");
    this.yaml = this.dialog.getByTestId("wizard-yaml");
    this.validation = this.dialog.getByTestId("wizard-validation");
    this.applied = this.dialog.getByTestId("wizard-applied");
    this.revisionLink = this.dialog.getByTestId("wizard-revision-link");
    this.observed = this.dialog.getByTestId("observed-panel");
  }

  /** Opens `wizard` from the "Configure traffic" menu inside `scope` (the graph side panel, the service page). */
  async open(scope: Locator, wizard: string): Promise<void> {
    await scope.getByTestId("wizard-menu-button").click();
    await scope.getByTestId(`wizard-open-${wizard}`).click();
    await expect(this.dialog).toBeVisible();
    await expect(this.step).toHaveAttribute("data-step", "form");
  }

  weightInput(version: string): Locator {
    return this.dialog.getByTestId(`weight-input-${version}`);
  }

  async weights(): Promise<Record<string, number>> {
    const rows = this.dialog.getByTestId("weight-row");
    const out: Record<string, number> = {};
    for (const row of await rows.all()) {
      const version = (await row.getAttribute("data-version")) ?? "";
      out[version] = Number(await row.locator('input[type="number"]').inputValue());
    }
    return out;
  }

  field(testId: string): Locator {
    return this.dialog.getByTestId(testId);
  }

  /** Switches a toggle group ("Add HTTP delay") on or off. */
  async toggle(groupTestId: string, on: boolean): Promise<void> {
    const box = this.dialog.getByTestId(groupTestId).locator("legend input[type=checkbox]");
    if ((await box.isChecked()) !== on) await box.click();
  }

  async goToPreview(): Promise<void> {
    await this.previewButton.click();
    await expect(this.step).toHaveAttribute("data-step", "preview", { timeout: 15_000 });
  }

  async showYaml(): Promise<void> {
    await this.dialog.getByTestId("preview-tab-yaml").click();
  }

  async showDiff(): Promise<void> {
    await this.dialog.getByTestId("preview-tab-diff").click();
  }

  /** Applies; confirms the overwrite of objects Meshscope did not write when that step comes up. */
  async apply(): Promise<number> {
    await this.applyButton.click();
    const confirm = this.dialog.getByTestId("wizard-confirm-overwrite");
    await expect(this.applied.or(confirm)).toBeVisible({ timeout: 15_000 });
    if (await confirm.isVisible()) await confirm.click();
    await expect(this.applied).toBeVisible({ timeout: 15_000 });
    const text = (await this.revisionLink.textContent()) ?? "";
    const id = Number(/#(\d+)/.exec(text)?.[1]);
    if (!Number.isInteger(id)) throw new Error(`no revision number in "${text}"`);
    return id;
  }

  /** The observed share (0–100) of one version in the configured-vs-observed panel, or null before it shows. */
  async observedShare(version: string): Promise<number | null> {
    const row = this.dialog.getByTestId(`observed-version-${version}`);
    if ((await row.count()) === 0) return null;
    const value = await row.getAttribute("data-observed");
    return value === null ? null : Number(value);
  }

  async close(): Promise<void> {
    await this.dialog.getByTestId("modal-close").click();
    await expect(this.dialog).toBeHidden();
  }
}
