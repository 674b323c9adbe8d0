import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source", ...defaultClientConditions] },
  // Node-environment tests resolve through the SSR config: this is what lets them read workspace packages
  // from TypeScript source (the "source" export condition) without a build.
  // Vite's default server conditions include "module", which makes Node load the ESM build of
  // @opentelemetry/api and fail (its ESM build is not resolvable that way); drop it.
  ssr: { resolve: { conditions: ["source", ...defaultServerConditions.filter((c) => c !== "module")] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "model", root: "packages/model", include: ["src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "web", root: "apps/web", include: ["src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "bench", root: "bench", include: ["lib/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "wire", root: "packages/wire", include: ["src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: { name: "mesh-config", root: "packages/mesh-config", include: ["src/**/*.test.ts"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "demo-mesh",
          root: "packages/demo-mesh",
          include: ["src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "server",
          root: "apps/server",
          include: ["src/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
