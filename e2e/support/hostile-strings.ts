/**
 * Untrusted strings as a sender can put them in metric labels, span data and Istio YAML (DESIGN §6: never
 * rendered as HTML), and the check that none of them became markup, a link or ran on the page.
 *
 * Every payload that would run sets `window.__pwned` to its own number, so a failure names the sink.
 */
import { expect, type Locator, type Page } from "@playwright/test";

export const HOSTILE = {
  img: "<img src=x onerror=window.__pwned=1>",
  svg: '"><svg onload=window.__pwned=2>',
  script: "<script>window.__pwned=3</script>",
  /** A value a careless `<a href={value}>` would turn into a link that runs. */
  js: "javascript:window.__pwned=4",
  /** Template injection (Angular/Vue-style interpolation of text that reached a template). */
  template: "{{constructor.constructor('window.__pwned=5')()}}",
  /** U+202E RIGHT-TO-LEFT OVERRIDE: shown reversed, but the text itself must stay as sent. */
  rtl: "rtl-\u202Egnp.exe\u202C-end",
  /** Zero-width space, non-joiner, joiner and BOM between letters. */
  zeroWidth: "zero\u200B\u200C\u200Dwi\uFEFFdth",
  /** C0 and C1 control characters (no NUL, which OTLP/JSON and SQLite text may refuse): bell, escape, DEL. */
  control: "ctl\u0001\u0007\u001b[31m\u007f\u0085-end",
  emoji: "emoji-🔥💥👩‍💻🏳️‍🌈",
} as const;

/** 10 KB without a space: a line that cannot wrap at a word, so only the page's own overflow rules hold it. */
export const LONG = `long-${"0123456789abcdef".repeat(640)}`;

/** Scripts the console itself loads (apps/web/index.html); anything else is injected. */
function isOwnScript(src: string | null): boolean {
  return src === "/theme-init.js" || src === "/early-requests.js" || (src?.startsWith("/assets/") ?? false);
}

/** Records every alert/confirm/prompt the page opens (a payload that ran would open none, but an `alert(1)` might). */
export function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

/**
 * Nothing untrusted became markup or ran: no payload set `window.__pwned`, no injected `img`/`svg`/`script`, no
 * inline event handler attribute anywhere, no `javascript:` link, no dialog.
 */
export async function expectNothingInjected(page: Page, dialogs: readonly string[]): Promise<void> {
  expect(await page.evaluate(() => "__pwned" in window), "window.__pwned was set: a payload ran").toBe(false);
  await expect(page.locator('img[src="x"], svg[onload], [onerror], [onload]')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]')).toHaveCount(
    0,
  );
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => e.getAttribute("src")));
  expect(
    scripts.filter((src) => !isOwnScript(src)),
    "script elements the console did not load",
  ).toEqual([]);
  expect(dialogs, "dialogs opened by the page").toEqual([]);
}

/**
 * The page is no wider than the window: a 10 KB name must wrap or be clipped inside its cell, not push the page
 * sideways (a wide table may scroll inside its own panel).
 */
export async function expectNoPageOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, "the page scrolls sideways").toBeLessThanOrEqual(clientWidth);
}

/** Length and ends of a text: what a failed assertion on a 10 KB string prints instead of the whole string. */
function shape(text: string | null): { length: number; start: string; end: string } | null {
  return text === null ? null : { length: text.length, start: text.slice(0, 24), end: text.slice(-24) };
}

/** The element's text is exactly `expected` (polled like `toHaveText`, without printing 10 KB when it fails). */
export async function expectLongText(locator: Locator, expected: string): Promise<void> {
  await expect.poll(async () => shape(await locator.textContent()), { timeout: 10_000 }).toEqual(shape(expected));
  expect((await locator.textContent()) === expected, "same length and ends, different text").toBe(true);
}
