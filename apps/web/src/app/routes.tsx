/**
 * The route table: DESIGN §5 web routes. Every page renders inside AppLayout, the 404 page too, behind the
 * session guard; only the login page stands outside both.
 */
import { Navigate, type RouteObject } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { RequireAuth } from "../features/auth/RequireAuth";
import { GraphPage } from "../features/graph/GraphPage";
import { MeshConfigPage } from "../features/mesh-config/MeshConfigPage";
import { OverviewPage } from "../features/overview/OverviewPage";
import { ServiceDetailPage } from "../features/services/ServiceDetailPage";
import { ServicesPage } from "../features/services/ServicesPage";
import { OpenTracePage } from "../features/trace/OpenTracePage";
import { TracePage } from "../features/trace/TracePage";
import { TraceComparePage } from "../features/trace-compare/TraceComparePage";
import { TracesPage } from "../features/traces/TracesPage";
import { AppLayout } from "./AppLayout";
import { NotFoundPage } from "./NotFoundPage";
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
            children: [
              { index: true, element: <Navigate to="/overview" replace /> },
              { path: "overview", element: <OverviewPage />, handle: METRICS_PAGE },
              { path: "graph", element: <GraphPage />, handle: METRICS_PAGE },
              { path: "services", element: <ServicesPage />, handle: METRICS_PAGE },
              { path: "services/:namespace/:service", element: <ServiceDetailPage />, handle: SERVICE_PAGE },
              { path: "traces", element: <TracesPage /> },
              { path: "traces/compare", element: <TraceComparePage /> },
              { path: "traces/open", element: <OpenTracePage /> },
              { path: "traces/:traceId", element: <TracePage /> },
              { path: "mesh-config", element: <MeshConfigPage /> },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
