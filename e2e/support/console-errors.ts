/**
 * A `test` whose every page fails the spec on a console error or an uncaught exception (issue #5: "no console
 * errors on any page"). Errors are collected during the test and asserted after it, so the message lists them all.
 */
import { test as base, expect } from "@playwright/test";

export const test = base.extend<{ consoleErrors: string[]; expectedConsoleErrors: RegExp[] }>({
  /** Errors a spec provokes on purpose (e.g. Chromium's log line for a 404 the page then explains). */
  expectedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, expectedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        const text = message.text();
        if (message.type() === "error" && !expectedConsoleErrors.some((re) => re.test(text))) {
          // Chromium's "Failed to load resource" line does not name the resource; its location does.
          const where = message.location().url;
          errors.push(where ? `console: ${text} (${where})` : `console: ${text}`);
        }
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
      await use(errors);
      expect(errors, "console errors or uncaught exceptions on the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
