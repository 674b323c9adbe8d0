/**
 * Where the console goes after sign-in. `returnTo` arrives in the query string, so anyone can craft it: only a
 * path on this origin is followed (an open redirect would let a phishing link borrow our login page), and never
 * the login page itself (that would loop).
 */

export const LOGIN_PATH = "/login";
const DEFAULT_RETURN = "/overview";
/** Any origin works: a path is resolved against it and must stay on it. */
const PROBE_ORIGIN = "http://console.invalid";

/** A same-origin path with its query and hash, or `/overview` for anything else (absolute URLs, `//host`, `\`). */
export function sanitizeReturnTo(raw: string | null | undefined): string {
  if (!raw?.startsWith("/")) return DEFAULT_RETURN;
  // Browsers read a backslash as a slash ("/\evil.example" is protocol-relative) and drop tabs and newlines.
  if (raw.startsWith("//") || /[\\\s]/.test(raw) || raw.includes("%5c") || raw.includes("%5C")) return DEFAULT_RETURN;
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return DEFAULT_RETURN;
  }
  if (url.origin !== PROBE_ORIGIN) return DEFAULT_RETURN;
  if (url.pathname === LOGIN_PATH || url.pathname.startsWith(`${LOGIN_PATH}/`)) return DEFAULT_RETURN;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/login?returnTo=<path>` for the page a signed-out person tried to open. */
export function loginPath(returnTo: string): string {
  const target = sanitizeReturnTo(returnTo);
  return target === DEFAULT_RETURN ? LOGIN_PATH : `${LOGIN_PATH}?${new URLSearchParams({ returnTo: target })}`;
}

/** The OIDC login is a full-page navigation: the server redirects to the provider and back to `returnTo`. */
export function oidcLoginPath(returnTo: string): string {
  return `/auth/oidc/login?${new URLSearchParams({ returnTo: sanitizeReturnTo(returnTo) })}`;
}
