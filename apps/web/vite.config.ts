import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// The dev server forwards API and ingest paths to a running meshscope (console port, DESIGN §2), so
// `npm run dev -w @meshscope/web` next to `npm run dev` gives hot reload against real data.
const apiTarget = process.env.MESHSCOPE_API_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  // Vite 6+ replaces the default conditions when this is set, hence the spread. "source" makes
  // @meshscope/model resolve to its TypeScript source, so the web builds without building the packages first.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: { "/api": apiTarget, "/auth": apiTarget, "/healthz": apiTarget, "/readyz": apiTarget, "/v1": apiTarget },
  },
  build: { outDir: "dist", sourcemap: true, emptyOutDir: true },
});
