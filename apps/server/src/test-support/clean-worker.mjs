// Worker entry for clean-worker.ts. Plain JS because it runs before any TypeScript loader exists: it registers
// tsx, imports the TypeScript module and posts the result of calling one of its exports.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const module = await import(workerData.moduleUrl);
parentPort.postMessage(await module[workerData.exportName](workerData.arg));
