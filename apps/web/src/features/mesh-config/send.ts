/**
 * Mutating calls of the API (PUT, POST, DELETE): the mesh-config routes and sign-out. `api/client.ts` only reads;
 * the mesh-config routes are the console's main writers, so their sender lives here. Every call carries the
 * session's CSRF token. Error answers keep their body: a wizard apply that is refused (409 `overwrite_unmanaged`,
 * 422 `invalid_config`) carries the preview the user must see next.
 */
import { ErrorEnvelope } from "@meshscope/model";
import { ApiError, csrfHeaders, currentCsrfToken, type ResponseSchema } from "../../api/client";

/** An ApiError that also holds the parsed JSON body of the answer (undefined when there was none). */
export class ApiSendError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(status, code, message);
  }
}

export type SendBody = { json: unknown } | { yaml: string } | undefined;

/** A cookie session's POST/PUT/DELETE is refused without its CSRF token (DESIGN §6), hence the header. */
function requestInit(method: string, body: SendBody, csrfToken: string | null): RequestInit {
  const headers: Record<string, string> = { Accept: "application/json", ...csrfHeaders(method, csrfToken) };
  if (body === undefined) return { method, headers };
  if ("yaml" in body) return { method, headers: { ...headers, "Content-Type": "application/yaml" }, body: body.yaml };
  return { method, headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body.json) };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends a request and validates the answer with `schema`; rejects with ApiSendError only. */
export async function apiSend<T>(
  method: "POST" | "PUT" | "DELETE",
  path: string,
  schema: ResponseSchema<T>,
  body?: SendBody,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...requestInit(method, body, currentCsrfToken()), signal: signal ?? null });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ApiSendError(0, "network_error", `Cannot reach the meshscope server (${why})`, undefined);
  }
  const data = await readJson(response);
  if (!response.ok) {
    const envelope = ErrorEnvelope.safeParse(data);
    if (envelope.success) {
      const { code, message } = envelope.data.error;
      throw new ApiSendError(response.status, code, message, data);
    }
    throw new ApiSendError(response.status, `http_${response.status}`, `The server answered ${response.status}`, data);
  }
  try {
    return schema.parse(data);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ApiSendError(response.status, "bad_response", `Unexpected response from ${path}: ${why}`, data);
  }
}

/** For answers whose body the console does not read (DELETE, PUT): anything, including no body, is accepted. */
export const AnyBody: ResponseSchema<unknown> = { parse: (data) => data };
