import path from "node:path";
import type { Page, TestInfo } from "@playwright/test";

/** Saves `e2e/test-results/<name>.png`; every spec calls it on its final state (CONVENTIONS, Tests). */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const file = path.join(testInfo.project.outputDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
