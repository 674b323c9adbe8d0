/** The sections of the console (DESIGN §5 web routes), in sidebar order. */
export const NAV_ITEMS = [
  { to: "/overview", label: "Overview", icon: "◎", testId: "nav-overview" },
  { to: "/graph", label: "Graph", icon: "⬡", testId: "nav-graph" },
  { to: "/services", label: "Services", icon: "▤", testId: "nav-services" },
  { to: "/traces", label: "Traces", icon: "≋", testId: "nav-traces" },
  { to: "/mesh-config", label: "Mesh config", icon: "⚙", testId: "nav-mesh-config" },
] as const;
