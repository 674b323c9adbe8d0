/**
 * Starting one of the server's worker threads from its entry file, which sits beside the caller's module.
 *
 * From dist/ the entry is plain JavaScript. From TypeScript sources (tsx, vitest) it is a .ts file, and Node 20
 * does not apply `--import` loaders given in a Worker's execArgv, so a small ESM bootstrap registers tsx's loader
 * inside the worker before importing the entry; `--conditions=source` lets it read workspace packages from their
 * TypeScript sources too, as the calling thread does.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/** Starts `entry` (a file name without extension, beside `callerUrl`, the caller's import.meta.url). */
export function startWorker(callerUrl: string, entry: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith(".ts")) return new Worker(new URL(`./${entry}.js`, callerUrl), { workerData });
  // The ESM build of tsx's API (require.resolve would give the CommonJS one, which cannot register ESM hooks).
  const tsxRoot = dirname(createRequire(callerUrl).resolve("tsx/package.json"));
  const tsxApi = pathToFileURL(join(tsxRoot, "dist/esm/api/index.mjs")).href;
  const entryUrl = new URL(`./${entry}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entryUrl)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: ["--conditions=source"] });
}
