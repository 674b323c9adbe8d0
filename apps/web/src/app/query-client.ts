/**
 * The console's single QueryClient and its default cache policy. Query hooks (`features/<x>/queries.ts`) override
 * `staleTime` where their data ages differently, and say why next to the override.
 *
 * Defaults, and the reasons:
 * - staleTime 15 s: telemetry changes constantly but not per keystroke; pages that remount within 15 s (back
 *   and forth between a trace and its search) render from cache without a request.
 * - gcTime 5 min: unused results (an old search, a closed trace) are dropped after 5 minutes; traces can be
 *   large, so nothing is kept forever.
 * - refetchOnWindowFocus off: switching back to the tab must not re-run every heavy search at once; live
 *   refresh arrives through `/api/events` (DESIGN §5) in a later issue.
 * - retry: once, and never for 4xx answers (a bad query or an unknown trace id does not heal by retrying).
 * - any 401 (the session expired or was ended elsewhere) refetches `/api/auth/me`; when that says nobody is
 *   signed in, RequireAuth shows the login page. A wrong token on the login form is not such a 401.
 */
import { MutationCache, QueryCache, QueryClient, type QueryKey } from "@tanstack/react-query";
import { ApiError } from "../api/client";
import { authKeys, LoginError } from "../features/auth/queries";

function endsSession(error: unknown, key: QueryKey | undefined): boolean {
  if (!(error instanceof ApiError) || error.status !== 401 || error instanceof LoginError) return false;
  return key?.[0] !== authKeys.all[0];
}

export function createQueryClient(): QueryClient {
  const recheckSession = (error: unknown, key: QueryKey | undefined) => {
    if (endsSession(error, key)) void client.invalidateQueries({ queryKey: authKeys.me() });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => recheckSession(error, query.queryKey) }),
    mutationCache: new MutationCache({ onError: (error) => recheckSession(error, undefined) }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.isClientError) return false;
          return failureCount < 1;
        },
      },
    },
  });
  return client;
}
