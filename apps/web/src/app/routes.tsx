/**
 * The route table: DESIGN §5 web routes. Every page renders inside AppLayout, the 404 page too, behind the
 * session guard; only the login page stands outside both.
 *
 * Pages are lazy routes (pages.ts): the entry chunk holds the shell, the guard and the login page, and the router
 * starts fetching the current page's chunk as soon as it is created, while the guard's `/api/auth/me` is in
 * flight, so the two run in parallel instead of one after the other. On the first load the shell renders at once
 * with `hydrateFallbackElement` in the page's place; later navigations keep the old page until the new chunk is
 * in (react-router resolves `lazy` before it commits a navigation).
 */
import { Navigate, type RouteObject } from "react-router";
import { LoadingState } from "../components/states";
import { LoginPage } from "../features/auth/LoginPage";
import { RequireAuth } from "../features/auth/RequireAuth";
import { AppLayout } from "./AppLayout";
import { NotFoundPage } from "./NotFoundPage";
import { PAGES } from "./pages";
import { RouteError } from "./RouteError";

/** The shell header's controls per route (AppLayout reads `handle.shellControls`). */
const METRICS_PAGE = { shellControls: { window: true, namespaces: true } };
const SERVICE_PAGE = { shellControls: { window: true, namespaces: false } };

export const routes: RouteObject[] = [
  { path: "login", element: <LoginPage />, errorElement: <RouteError /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          {
            errorElement: <RouteError />,
            // Shown in the page's place while the first page's chunk loads (this route's outlet, under the shell).
            hydrateFallbackElement: <LoadingState label="Loading page…" testId="page-loading" />,
            children: [
              { index: true, element: <Navigate to="/overview" replace /> },
              { path: "overview", lazy: PAGES.overview, handle: METRICS_PAGE },
              { path: "graph", lazy: PAGES.graph, handle: METRICS_PAGE },
              { path: "services", lazy: PAGES.services, handle: METRICS_PAGE },
              { path: "services/:namespace/:service", lazy: PAGES.serviceDetail, handle: SERVICE_PAGE },
              { path: "traces", lazy: PAGES.traces },
              { path: "traces/compare", lazy: PAGES.traceCompare },
              { path: "traces/open", lazy: PAGES.openTrace },
              { path: "traces/:traceId", lazy: PAGES.trace },
              { path: "mesh-config", lazy: PAGES.meshConfig },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
