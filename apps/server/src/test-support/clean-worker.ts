import { Worker } from "node:worker_threads";

/**
 * Calls `exportName(arg)` of the TypeScript module at `moduleUrl` in a worker thread started without Vitest's
 * Node flags, and resolves with its (structured-cloned) result.
 *
 * Why: the root Vitest config resolves packages with the `module` export condition and hands it to its
 * workers, so inside a test `@opentelemetry/*` load their ESM builds, whose extensionless relative imports
 * Node refuses (`Cannot find module …/build/esm/OTLPExporterBase`). A worker with `execArgv: []` resolves them
 * as a plain `node` process, i.e. as a real instrumented service would.
 */
export function runInCleanWorker<T>(moduleUrl: URL, exportName: string, arg: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./clean-worker.mjs", import.meta.url), {
      execArgv: [],
      workerData: { moduleUrl: moduleUrl.href, exportName, arg },
    });
    let answered = false;
    worker.once("message", (value: T) => {
      answered = true;
      resolve(value);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
}
