import { Worker } from "node:worker_threads";

/**
 * Calls `exportName(...args)` of the TypeScript module at `moduleUrl` in a worker thread started without Vitest's
 * `--conditions` flags, and resolves with its (structured-cloned) result.
 *
 * Why: the root vitest config resolves with the `module` export condition and Vitest passes its conditions to
 * its workers' Node flags, so inside a test even `require("@opentelemetry/api")` lands on that package's ESM
 * build, whose extensionless relative imports Node refuses ("Cannot find module …/build/esm/baggage/utils").
 * A worker with `execArgv: []` resolves packages the way a plain `node` process (and the exporters) would.
 */
export function runInCleanWorker(moduleUrl: URL, exportName: string, args: unknown[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./clean-worker.mjs", import.meta.url), {
      execArgv: [],
      workerData: { moduleUrl: moduleUrl.href, exportName, args },
    });
    worker.once("message", (value: unknown) => {
      resolve(value);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`fixture worker exited with code ${code} before answering`)));
  });
}
