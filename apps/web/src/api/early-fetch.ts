/**
 * GET requests started before the page that needs them has loaded. The entry (app/boot.ts) knows from the URL
 * what some pages ask for first — the trace page, its outline — and sends that request while the page's code,
 * React and the session check are still loading; the page's `apiGet` of the same path then takes the response
 * instead of asking again. No imports: boot.ts runs this before the rest of the entry is evaluated.
 */
const pending = new Map<string, Promise<Response>>();

/** How long an early response waits for its page (the person may have gone elsewhere meanwhile). */
const UNCLAIMED_MS = 30_000;

export function startEarlyGet(path: string): void {
  if (pending.has(path)) return;
  const response = fetch(path, { headers: { Accept: "application/json" } });
  // A failure is the page's to report, when it takes the response; until then it must not be unhandled.
  response.catch(() => {});
  pending.set(path, response);
  setTimeout(() => {
    if (pending.get(path) === response) pending.delete(path);
  }, UNCLAIMED_MS);
}

/** The early response for `path`, once: later calls (a refetch) ask the server again. */
export function takeEarlyGet(path: string): Promise<Response> | undefined {
  const response = pending.get(path);
  if (response !== undefined) pending.delete(path);
  return response;
}

/**
 * The trace page's first request for `/traces/{traceId}` (features/trace/queries.ts builds the same path with
 * apiPath; early-fetch.test.ts holds the two together), or null for any other page.
 */
export function traceOutlinePath(pathname: string): string | null {
  const m = /^\/traces\/([^/]+)\/?$/.exec(pathname);
  const segment = m?.[1];
  if (segment === undefined || segment === "compare" || segment === "open") return null;
  let traceId: string;
  try {
    traceId = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return `/api/traces/${encodeURIComponent(traceId)}?view=outline`;
}
