/**
 * Who is signed in (`GET /api/auth/me`), signing in (`POST /api/auth/login`) and out (`POST /api/auth/logout`).
 * The answer of `/api/auth/me` is the console's one copy of the session: the route guard, the user menu, the
 * viewer's disabled controls and the CSRF header of every mutation (api/client.ts) all read it from the cache.
 */
import { AuthMeResponse, ErrorEnvelope, type LoginRequest, LoginResponse } from "@meshscope/model";
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiGet } from "../../api/client";
import { AnyBody, apiSend } from "../mesh-config/send";
import { loginErrorMessage, retryAfterSeconds } from "./login-error";

export const authKeys = {
  all: ["auth"] as const,
  me: () => [...authKeys.all, "me"] as const,
};

/**
 * Fresh for a minute; refetched when the tab regains focus (unlike the telemetry queries): it is one small
 * request, and a session that expired while the tab was in the background then leads to the login page at once
 * instead of at the next failing call. Any 401 of another query also refetches it (query-client.ts).
 */
export const authMeQueryOptions = queryOptions({
  queryKey: authKeys.me(),
  queryFn: ({ signal }) => apiGet("/api/auth/me", AuthMeResponse, signal),
  staleTime: 60_000,
  refetchOnWindowFocus: true,
});

export function useAuthQuery() {
  return useQuery(authMeQueryOptions);
}

/** The CSRF token of the cached session, for the `X-CSRF-Token` header (api/client.ts `setCsrfTokenSource`). */
export function cachedCsrfToken(client: QueryClient): string | null {
  return client.getQueryData<AuthMeResponse>(authKeys.me())?.csrfToken ?? null;
}

/** A refused sign-in: the sentence to show, and for 429 how long to wait. */
export class LoginError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(status, code, message);
  }
}

async function postLogin(body: LoginRequest): Promise<LoginResponse> {
  let response: Response;
  try {
    response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new LoginError(0, "network_error", loginErrorMessage(0, null, null), null);
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const envelope = ErrorEnvelope.safeParse(data);
    const code = envelope.success ? envelope.data.error.code : `http_${response.status}`;
    const wait = response.status === 429 ? retryAfterSeconds(response.headers.get("Retry-After"), Date.now()) : null;
    const message = loginErrorMessage(response.status, wait, envelope.success ? envelope.data.error.message : null);
    throw new LoginError(response.status, code, message, wait);
  }
  const parsed = LoginResponse.safeParse(data);
  if (!parsed.success) {
    throw new LoginError(response.status, "bad_response", "Unexpected answer from /api/auth/login", null);
  }
  return parsed.data;
}

/**
 * Signs in with a token. On success the cached `/api/auth/me` becomes the new session (the login page then
 * follows `returnTo`), and every other cached answer is dropped: it was fetched without this session (or with an
 * expired one) and may be an error or belong to someone else.
 */
export function useLoginMutation() {
  const client = useQueryClient();
  return useMutation<LoginResponse, LoginError, LoginRequest>({
    mutationFn: postLogin,
    onSuccess: (session) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.all[0] });
      client.setQueryData<AuthMeResponse>(authKeys.me(), (me) => ({
        mode: me?.mode ?? "token",
        loginMethods: me?.loginMethods ?? ["token"],
        user: session.user,
        csrfToken: session.csrfToken,
      }));
    },
  });
}

/**
 * Signs out, then loads the login page afresh: a full page load, not a client-side navigation, so nothing the
 * previous user saw stays in memory (query cache, open dialogs). A 401 means the session had already ended.
 */
export function useLogoutMutation() {
  return useMutation<unknown, ApiError>({
    mutationFn: () => apiSend("POST", "/api/auth/logout", AnyBody),
    onSuccess: () => window.location.assign("/login"),
    onError: (error) => {
      if (error.status === 401) window.location.assign("/login");
    },
  });
}
