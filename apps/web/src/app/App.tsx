import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { createQueryClient } from "./query-client";
import { routes } from "./routes";
import { ThemeProvider } from "./theme/ThemeProvider";

/** Providers around the router: theme (outermost, it paints the page) and the one QueryClient. */
export function App() {
  // Created once per mounted app (not at module load), so tests can mount isolated apps.
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>
  );
}
