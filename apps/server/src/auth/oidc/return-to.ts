/**
 * Where to send a person after sign-in. Only a path on this origin is accepted, so the login link cannot be used
 * as an open redirect (`/auth/oidc/login?returnTo=https://evil.example` or `//evil.example`).
 */

/** Longer than any console deep link; keeps a pending login small. */
const MAX_RETURN_TO_LENGTH = 2048;

/**
 * `candidate` if it is a same-origin relative path, else "/". A browser reads `//host` and `/\host` as
 * scheme-relative URLs, and strips tabs and newlines before parsing (WHATWG URL), so `/\t/host` would become
 * `//host`: control characters are refused as well.
 */
export function safeReturnTo(candidate: string | null | undefined): string {
  if (typeof candidate !== "string" || candidate.length === 0 || candidate.length > MAX_RETURN_TO_LENGTH) return "/";
  if (!candidate.startsWith("/")) return "/";
  if (candidate.startsWith("//") || candidate.startsWith("/\\")) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return "/";
  return candidate;
}
