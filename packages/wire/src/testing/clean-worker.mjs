// Worker entry for clean-worker.ts: registers tsx so the worker can load a TypeScript module, then posts the
// result of calling one of its exports. Plain JS because it runs before any TypeScript loader exists.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const module = await import(workerData.moduleUrl);
parentPort.postMessage(await module[workerData.exportName](...workerData.args));
