/**
 * GET requests started before the page that needs them has loaded. `public/early-requests.js`, a classic script in
 * index.html's head, sends what a page asks for first — the session check, and the trace page's outline or the
 * graph page's first graph — while the entry module, React and the page's code are still downloading, and reads
 * the bodies as they arrive; the page's `apiGet` of the same path then takes the answer instead of asking again.
 */
export interface EarlyGet {
  response: Promise<Response>;
  /** The response's body, read as it arrived. */
  text: Promise<string>;
  /** Date.now() after which the page asks again rather than take a stale answer. */
  expires: number;
}

declare global {
  var __meshscopeEarlyGets: Record<string, EarlyGet | undefined> | undefined;
}

/** The early answer for `path`, once: later calls (a refetch) ask the server again. */
export function takeEarlyGet(path: string): EarlyGet | undefined {
  const gets = globalThis.__meshscopeEarlyGets;
  const early = gets && Object.hasOwn(gets, path) ? gets[path] : undefined;
  if (early === undefined || gets === undefined) return undefined;
  delete gets[path];
  return Date.now() <= early.expires ? early : undefined;
}
