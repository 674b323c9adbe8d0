/** What the login form says when the server refuses a sign-in (401 unknown token, 429 rate limited). */

/**
 * Seconds to wait from a `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), rounded up to
 * at least 1; null when the header is missing or unreadable.
 */
export function retryAfterSeconds(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.max(1, Number(value));
  const dateMs = Date.parse(value);
  if (Number.isNaN(dateMs)) return null;
  return Math.max(1, Math.ceil((dateMs - nowMs) / 1000));
}

function describeWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** The sentence shown under the form for a refused sign-in. */
export function loginErrorMessage(status: number, retryAfter: number | null, serverMessage: string | null): string {
  if (status === 401) return "That token is not valid. Check it and try again.";
  if (status === 429) {
    return retryAfter === null
      ? "Too many sign-in attempts. Wait a moment and try again."
      : `Too many sign-in attempts. Try again in ${describeWait(retryAfter)}.`;
  }
  if (status === 0) return serverMessage ?? "Cannot reach the meshscope server.";
  return serverMessage ?? `Sign-in failed: the server answered ${status}.`;
}
