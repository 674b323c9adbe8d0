// Sends the API requests a console page makes first — the session check (`/api/auth/me`, which every page waits
// for), and the trace page's outline or the graph page's first graph — while the entry module and the page's code
// are still downloading and compiling (see index.html), and reads their bodies as they arrive. On a big trace or
// graph the answer is then here, read, when the page asks for it: the page's apiGet of the same path takes it
// (src/api/early-fetch.ts). A classic script with no imports, so it runs before any module; the paths repeat what
// the pages build, and early-requests.test.ts holds them to the pages' own code.
(() => {
  const GRAPH_TYPES = ["app", "versionedApp", "workload", "service"];
  const MAX_WINDOW_SECONDS = 30 * 86_400;

  /** The trace page's `/api/traces/{traceId}?view=outline` (features/trace/queries.ts). */
  function traceOutlinePath(pathname) {
    const m = /^\/traces\/([^/]+)\/?$/.exec(pathname);
    if (m === null || m[1] === "compare" || m[1] === "open") return null;
    let traceId;
    try {
      traceId = decodeURIComponent(m[1]);
    } catch {
      return null;
    }
    return `/api/traces/${encodeURIComponent(traceId)}?view=outline`;
  }

  /** The graph page's first `/api/graph` (features/graph: url.ts, page-time.ts, queries.ts). */
  function graphPath(pathname, search) {
    if (pathname !== "/graph" && pathname !== "/graph/") return null;
    const params = new URLSearchParams(search);
    const type = params.get("type") ?? "";
    const windowParam = params.get("window") ?? "";
    const seconds = /^\d+$/.test(windowParam) ? Number(windowParam) : Number.NaN;
    const namespaces = (params.get("namespaces") ?? "")
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "")
      .join(",");
    const end = params.get("end") ?? "";
    const query = new URLSearchParams();
    query.set("type", GRAPH_TYPES.includes(type) ? type : "versionedApp");
    if (namespaces !== "") query.set("namespaces", namespaces);
    query.set("window", String(seconds >= 1 && seconds <= MAX_WINDOW_SECONDS ? seconds : 300));
    if (/^\d{1,17}$/.test(end)) query.set("end", String(Number(end)));
    return `/api/graph?${query.toString()}`;
  }

  /** Unclaimed for 30 s (the person went elsewhere meanwhile), an answer is left: the page asks again. */
  const early = {};
  function send(path) {
    const response = window.fetch(path, { headers: { Accept: "application/json" } });
    const text = response.then((r) => r.text());
    // A failure is the page's to report when it takes the answer; until then it must not be unhandled.
    text.catch(() => {});
    early[path] = { response, text, expires: Date.now() + 30_000 };
  }

  const { pathname, search } = window.location;
  send("/api/auth/me");
  const page = traceOutlinePath(pathname) ?? graphPath(pathname, search);
  if (page !== null) send(page);
  window.__meshscopeEarlyGets = early;
})();
