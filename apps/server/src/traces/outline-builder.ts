/**
 * Trace outlines (GET /api/traces/{id}?view=outline) built on a worker thread (outline-worker.ts), and started
 * early when it is clear one will be asked for.
 *
 * Why a thread: on a 100,000-span trace the outline takes about half a second of reading rows, assembling columns
 * and stringifying. On the console's thread that blocks everything else the page asks for meanwhile (its route
 * chunks, the session check), so a big trace delayed its own page twice.
 *
 * Why early: when the console serves its HTML for `/traces/{id}`, the page will ask for that outline as soon as
 * its first script runs (apps/web public/early-requests.js). `prefetch` starts the build right then, and the
 * page's request takes the answer (or waits for the build in flight) instead of starting another. A prefetched
 * answer is used once, only while the trace's version (SqliteTraceReader.traceVersion) is the one it was built
 * from, and only for 30 s; at most a few are held, within a byte budget, and at most one speculative build is
 * in flight, so guesses never queue up ahead of real requests on the worker. Who may start one is the caller's
 * decision (app.ts: only for a caller allowed to read traces).
 */
import type { Worker } from "node:worker_threads";
import type { OutlineAnswer } from "../api/trace-outline.js";
import { startWorker } from "../store/start-worker.js";

export interface OutlineWorkerData {
  path: string;
  cacheKiB: number;
}

/** The worker is stopped with terminate(): it only reads, and its connection closes with the thread. */
export type ToOutlineWorker = { type: "outline"; id: number; traceId: string };

export type FromOutlineWorker =
  /** bytes: the outline's JSON (UTF-8), or null when the trace has no stored span; version as read with it. */
  | { type: "outline"; id: number; version: string | null; bytes: Uint8Array | null; spanCount: number }
  | { type: "failed"; id: number; message: string };

export interface OutlineBuilderOptions {
  /** The SQLite file the worker opens read-only. */
  dbPath: string;
  /** The trace's version as the store reads it now (SqliteTraceReader.traceVersion). */
  version: (traceId: string) => string | null;
  /** How long a prefetched answer may wait for its request; default 30 s. */
  prefetchTtlMs?: number;
  /** At most this many prefetched answers are held; default 4. */
  maxPrefetched?: number;
  /** And at most this many bytes of them; default 64 MiB. */
  maxPrefetchedBytes?: number;
  /** The worker connection's page cache; default 16 MiB. */
  cacheKiB?: number;
}

/** A build's result: the answer (null when the trace is unknown) and the trace version it was read at. */
interface Built {
  version: string | null;
  answer: OutlineAnswer | null;
}

interface Prefetch {
  readonly promise: Promise<Built>;
  bytes: number;
  settled: boolean;
  timer: NodeJS.Timeout | null;
}

interface Pending {
  worker: Worker;
  resolve: (built: Built) => void;
  reject: (err: Error) => void;
}

export interface OutlineBuilderStats {
  /** Builds the worker was asked for (prefetches included). */
  builds: number;
  /** Requests answered by a prefetched build. */
  reused: number;
  /** Prefetched answers dropped unused: expired, over a limit, or out of date when asked for. */
  dropped: number;
}

export class OutlineBuilder {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** In insertion order, so the first entry is the oldest. */
  private readonly prefetched = new Map<string, Prefetch>();
  private closing: Promise<void> | null = null;
  private readonly ttlMs: number;
  private readonly maxPrefetched: number;
  private readonly maxPrefetchedBytes: number;
  readonly stats: OutlineBuilderStats = { builds: 0, reused: 0, dropped: 0 };

  constructor(private readonly opts: OutlineBuilderOptions) {
    this.ttlMs = opts.prefetchTtlMs ?? 30_000;
    this.maxPrefetched = opts.maxPrefetched ?? 4;
    this.maxPrefetchedBytes = opts.maxPrefetchedBytes ?? 64 * 1024 * 1024;
  }

  /** The outline of the trace with this (normalised) id, as JSON bytes, or null when no span of it is stored. */
  async outline(traceId: string): Promise<OutlineAnswer | null> {
    const early = this.prefetched.get(traceId);
    if (early !== undefined) {
      this.forget(traceId, early);
      const built = await early.promise.catch(() => null);
      if (built !== null && built.version === this.opts.version(traceId)) {
        this.stats.reused++;
        return built.answer;
      }
      this.stats.dropped++;
    }
    return (await this.build(traceId)).answer;
  }

  /** Starts building the outline of this (normalised) trace id for a request expected soon; never throws. */
  prefetch(traceId: string): void {
    if (this.closing !== null || this.prefetched.has(traceId)) return;
    for (const p of this.prefetched.values()) if (!p.settled) return;
    while (this.prefetched.size >= this.maxPrefetched) this.dropOldest();
    const entry: Prefetch = { promise: this.build(traceId), bytes: 0, settled: false, timer: null };
    this.prefetched.set(traceId, entry);
    entry.timer = setTimeout(() => this.drop(traceId, entry), this.ttlMs);
    entry.timer.unref();
    entry.promise.then(
      (built) => {
        entry.settled = true;
        entry.bytes = built.answer?.bytes.length ?? 0;
        if (this.prefetched.get(traceId) === entry && this.heldBytes() > this.maxPrefetchedBytes) {
          this.drop(traceId, entry);
        }
      },
      () => {
        entry.settled = true;
        this.drop(traceId, entry);
      },
    );
  }

  /** Resolves once every prefetch started so far has been built (or failed). */
  async prefetchesSettled(): Promise<void> {
    await Promise.allSettled([...this.prefetched.values()].map((p) => p.promise));
  }

  /** Drops what is held and stops the worker; later calls to `outline` fail. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const [traceId, entry] of [...this.prefetched]) this.forget(traceId, entry);
      const worker = this.worker;
      this.worker = null;
      this.failAll(new Error("the outline builder is closed"));
      if (worker !== null) await worker.terminate();
    })();
    return this.closing;
  }

  private build(traceId: string): Promise<Built> {
    if (this.closing !== null) return Promise.reject(new Error("the outline builder is closed"));
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextId++;
    this.stats.builds++;
    return new Promise<Built>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ type: "outline", id, traceId } satisfies ToOutlineWorker);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const data: OutlineWorkerData = { path: this.opts.dbPath, cacheKiB: this.opts.cacheKiB ?? 16384 };
    const worker = startWorker(import.meta.url, "outline-worker", data);
    // Never what keeps the process alive: it only answers requests.
    worker.unref();
    worker.on("message", (msg: FromOutlineWorker) => {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (p === undefined) return;
      if (msg.type === "failed") {
        p.reject(new Error(`trace outline failed: ${msg.message}`));
      } else {
        const answer =
          msg.bytes === null
            ? null
            : {
                bytes: Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength),
                spanCount: msg.spanCount,
              };
        p.resolve({ version: msg.version, answer });
      }
    });
    // A worker that died (out of memory on a huge trace, say) fails what it held; the next build starts another.
    const lost = (err: Error): void => {
      if (this.worker === worker) this.worker = null;
      this.failAll(err, worker);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the outline worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Fails the builds in flight (on this worker only, when one is named). */
  private failAll(err: Error, worker?: Worker): void {
    for (const [id, p] of this.pending) {
      if (worker !== undefined && p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(err);
    }
  }

  private heldBytes(): number {
    let total = 0;
    for (const p of this.prefetched.values()) total += p.bytes;
    return total;
  }

  private dropOldest(): void {
    const first = this.prefetched.entries().next();
    if (!first.done) this.drop(first.value[0], first.value[1]);
  }

  /** Removes an unused prefetch (counted as dropped), if it is still the one held for this trace. */
  private drop(traceId: string, entry: Prefetch): void {
    if (this.prefetched.get(traceId) !== entry) return;
    this.forget(traceId, entry);
    this.stats.dropped++;
  }

  private forget(traceId: string, entry: Prefetch): void {
    if (entry.timer !== null) clearTimeout(entry.timer);
    if (this.prefetched.get(traceId) === entry) this.prefetched.delete(traceId);
  }
}
