/**
 * Sends layout requests to long-lived workers and resolves each with its answer. Only the newest request
 * matters: an older one still running when a newer one is sent resolves with null (the page moved on). Big
 * hierarchical graphs go to a small worker holding only the layered layout; dagre and fcose to the general one
 * (cytoscape and its layouts, 600 kB to load first). Each worker starts on its first request, or when warmed.
 * Where workers are unavailable the layout runs on the main thread, loaded on demand.
 */
import { usesLayeredLayout } from "./layered-layout";
import type { LayoutAnswer, LayoutRequest } from "./layout-types";
import type { LayoutName } from "./url";

type Pending = { id: number; resolve: (answer: LayoutAnswer | null) => void };
type WorkerKind = "layered" | "general";

export class LayoutRunner {
  private readonly workers = new Map<WorkerKind, Worker | null>();
  private pending: Pending | null = null;
  private nextId = 1;
  private lastRequest: Omit<LayoutRequest, "id"> | null = null;

  private worker(kind: WorkerKind): Worker | null {
    if (this.workers.has(kind)) return this.workers.get(kind) ?? null;
    let worker: Worker | null = null;
    if (typeof Worker !== "undefined") {
      try {
        // Literal URLs: the bundler finds workers by `new Worker(new URL("...", import.meta.url))`.
        worker =
          kind === "layered"
            ? new Worker(new URL("./layered.worker.ts", import.meta.url), { type: "module" })
            : new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
        worker.onmessage = (event: MessageEvent<LayoutAnswer>) => this.answer(event.data);
        worker.onerror = (event) => {
          // A worker that fails to load (e.g. a CSP without worker-src) must not leave the graph without layout.
          event.preventDefault();
          this.workers.get(kind)?.terminate();
          this.workers.set(kind, null);
          const pending = this.pending;
          if (pending) void this.runHere(pending.id, this.lastRequest);
        };
      } catch {
        worker = null;
      }
    }
    this.workers.set(kind, worker);
    return worker;
  }

  /** Starts the worker a layout of this kind and size would use, so it is ready when the request comes. */
  warm(layout: LayoutName, nodeCount: number): void {
    this.worker(usesLayeredLayout(layout, nodeCount) ? "layered" : "general");
  }

  run(request: Omit<LayoutRequest, "id">): Promise<LayoutAnswer | null> {
    const id = this.nextId++;
    this.pending?.resolve(null);
    this.lastRequest = request;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      const worker = this.worker(usesLayeredLayout(request.layout, request.nodes.length) ? "layered" : "general");
      if (worker) worker.postMessage({ ...request, id });
      else void this.runHere(id, request);
    });
  }

  private async runHere(id: number, request: Omit<LayoutRequest, "id"> | null): Promise<void> {
    if (!request) return;
    const { computeLayout } = await import("./compute-layout");
    this.answer(computeLayout({ ...request, id }));
  }

  private answer(answer: LayoutAnswer): void {
    if (this.pending?.id !== answer.id) return;
    const { resolve } = this.pending;
    this.pending = null;
    resolve(answer);
  }

  dispose(): void {
    this.pending?.resolve(null);
    this.pending = null;
    for (const worker of this.workers.values()) worker?.terminate();
    this.workers.clear();
  }
}
