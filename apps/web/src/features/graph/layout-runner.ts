/**
 * Sends layout requests to one long-lived worker and resolves each with its answer. Only the newest request
 * matters: an older one still running when a newer one is sent resolves with null (the page moved on). Where
 * workers are unavailable the layout runs on the main thread, loaded on demand.
 */
import type { LayoutAnswer, LayoutRequest } from "./layout-types";

type Pending = { id: number; resolve: (answer: LayoutAnswer | null) => void };

export class LayoutRunner {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  constructor() {
    if (typeof Worker === "undefined") return;
    try {
      this.worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
      this.worker.onmessage = (event: MessageEvent<LayoutAnswer>) => this.answer(event.data);
      this.worker.onerror = (event) => {
        // A worker that fails to load (e.g. a CSP without worker-src) must not leave the graph without layout.
        event.preventDefault();
        this.worker?.terminate();
        this.worker = null;
        const pending = this.pending;
        if (pending) void this.runHere(pending.id, this.lastRequest);
      };
    } catch {
      this.worker = null;
    }
  }

  private lastRequest: Omit<LayoutRequest, "id"> | null = null;

  run(request: Omit<LayoutRequest, "id">): Promise<LayoutAnswer | null> {
    const id = this.nextId++;
    this.pending?.resolve(null);
    this.lastRequest = request;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      if (this.worker) this.worker.postMessage({ ...request, id });
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
    this.worker?.terminate();
    this.worker = null;
  }
}
