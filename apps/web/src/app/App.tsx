import { QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { setCsrfTokenSource } from "../api/client";
import { authMeQueryOptions, cachedCsrfToken } from "../features/auth/queries";
import { createQueryClient } from "./query-client";
import { routes } from "./routes";
import { ThemeProvider } from "./theme/ThemeProvider";

/** Providers around the router: theme (outermost, it paints the page) and the one QueryClient. */
export function App() {
  // Created once per mounted app (not at module load), so tests can mount isolated apps. `/api/auth/me` starts
  // here rather than when RequireAuth's query subscribes (after the first commit and paint), so it runs alongside
  // the page chunk's download; RequireAuth still decides from that one answer, as before.
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    void client.prefetchQuery(authMeQueryOptions);
    return client;
  });
  const [router] = useState(() => createBrowserRouter(routes));
  // Mutations read the CSRF token from this client's `/api/auth/me` cache. An effect is early enough: no page
  // (and so no mutation) renders before RequireAuth has that answer, which takes a request.
  useEffect(() => setCsrfTokenSource(() => cachedCsrfToken(queryClient)), [queryClient]);
  return (
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
