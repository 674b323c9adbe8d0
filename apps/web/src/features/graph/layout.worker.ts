/// <reference lib="webworker" />
/** The layout worker: one request in, the positions out (see compute-layout.ts for why this is off-thread). */
import { computeLayout } from "./compute-layout";
import type { LayoutRequest } from "./layout-types";

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  self.postMessage(computeLayout(event.data));
};
