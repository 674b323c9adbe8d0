/**
 * The one way the console talks to the meshscope HTTP API (DESIGN §5): fetch, then validate the body with the
 * zod schema of `@meshscope/model` before anything reaches a component. A response that does not match its
 * schema is an error, not data: the UI shows it instead of rendering half-valid objects.
 */
import { CSRF_HEADER, ErrorEnvelope } from "@meshscope/model";
import { takeEarlyGet } from "./early-fetch";

/** What every failure of an API call becomes, so views can show `code` and `message` without guessing. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    /** HTTP status; 0 when no response arrived (network failure, aborted request). */
    readonly status: number,
    /** The server's error code (`bad_request`, `not_found`, …), or one of ours: `network_error`, `bad_response`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** 4xx answers will not change on retry; retrying them only delays the error message. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

/** The part of a zod schema the client needs; structural so this module does not depend on zod itself. */
export interface ResponseSchema<T> {
  parse(data: unknown): T;
}

export type QueryParams = Record<string, string | number | undefined>;

/** Builds `path?query`, leaving out empty and undefined values (the API treats a missing field as "any"). */
export function apiPath(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** Methods a cookie session may only use with its CSRF token (the server refuses them with 403 `csrf` otherwise). */
const CSRF_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The `X-CSRF-Token` header for a request, or no header: reads need none, and without a session there is none. */
export function csrfHeaders(method: string, token: string | null): Record<string, string> {
  return token !== null && token !== "" && CSRF_METHODS.has(method.toUpperCase()) ? { [CSRF_HEADER]: token } : {};
}

/**
 * Where senders read the session's CSRF token. The token lives in the react-query cache of `/api/auth/me` (and is
 * put there by a login); the app points this at that cache once it has made its QueryClient, so plain functions
 * like `apiSend` need no React context and there is one copy of the token, not two that can disagree.
 */
let csrfTokenSource: () => string | null = () => null;

/** Sets where `currentCsrfToken` reads from; returns a function that undoes it (for unmounting apps). */
export function setCsrfTokenSource(source: () => string | null): () => void {
  csrfTokenSource = source;
  return () => {
    if (csrfTokenSource === source) csrfTokenSource = () => null;
  };
}

export function currentCsrfToken(): string | null {
  return csrfTokenSource();
}

/** GET a JSON resource and validate it. Rejects with ApiError only. */
export async function apiGet<T>(path: string, schema: ResponseSchema<T>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  const early = takeEarlyGet(path);
  try {
    response = await (early?.response ??
      fetch(path, { headers: { Accept: "application/json" }, signal: signal ?? null }));
  } catch (cause) {
    // Let react-query see the abort as an abort (it cancels superseded queries this way).
    if (signal?.aborted) throw cause;
    throw new ApiError(0, "network_error", `Cannot reach the meshscope server (${describe(cause)})`);
  }

  const body = await readJson(early?.text ?? response.text());
  if (!response.ok) throw errorFromResponse(response, body);
  if (body === undefined) {
    throw new ApiError(response.status, "bad_response", `${path} answered ${response.status} without a JSON body`);
  }
  try {
    return schema.parse(body);
  } catch (cause) {
    throw new ApiError(response.status, "bad_response", `Unexpected response from ${path}: ${describe(cause)}`);
  }
}

async function readJson(body: Promise<string>): Promise<unknown> {
  const text = await body;
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Maps an error answer to ApiError, using the `{"error":{"code","message"}}` envelope when the server sent one. */
function errorFromResponse(response: Response, body: unknown): ApiError {
  const envelope = ErrorEnvelope.safeParse(body);
  if (envelope.success) {
    return new ApiError(response.status, envelope.data.error.code, envelope.data.error.message);
  }
  const statusText = response.statusText ? ` ${response.statusText}` : "";
  return new ApiError(
    response.status,
    `http_${response.status}`,
    `The server answered ${response.status}${statusText}`,
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
