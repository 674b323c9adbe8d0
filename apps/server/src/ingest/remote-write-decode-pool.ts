/**
 * Decodes remote-write bodies (snappy + protobuf scan into columns) on a small pool of worker threads, so the
 * main thread's share of a push is only what must happen there: label strings for series the store does not
 * know yet, and the store's own append. Profiled in bench:graph: snappy and the scan were ~35% of the main
 * thread's busy time per remote-write sample, and the main thread was the busy one (SQLite writer ~10%).
 *
 * The answer is exactly what `decodeRemoteWriteColumns` gives on the calling thread, failures included (a
 * WireError / BodyTooLargeError with the same message), except that a thread keeps the decompressed bytes of a
 * body whose series it has all seen before (`bytes` is then null; remote-write-decode-worker.ts). A body is
 * decoded inline instead when the pool has no threads, when it is small (posting costs more than decoding), or
 * when enough jobs are already waiting (the pool adds no unbounded queue in front of the store's back-pressure). A worker that dies fails its jobs with
 * an internal error (the receiver answers 503, the sender retries) and is replaced on the next job.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { decodeRemoteWriteColumns } from "@meshscope/wire";
import { IngestUnavailableError } from "./ingest-pipeline.js";
import { type DecodeJob, type DecodeReply, errorOf, type ScannedWriteRequest } from "./remote-write-decode-protocol.js";

/** A thread with no job for this long is ended (and started again by the next job, in ~50 ms). */
const IDLE_MS = 30_000;

export interface RemoteWriteDecoder {
  /**
   * The body's columns; `bytes` is null when a decode thread kept them (it had seen every series of the body):
   * decompress `body` again if the labels of a series are needed then.
   */
  decode(body: Uint8Array, maxDecompressedBytes: number): Promise<ScannedWriteRequest>;
  /** Ends the threads; jobs still running fail. */
  close(): Promise<void>;
}

export interface DecodePoolOptions {
  /** Worker threads; 0 decodes every body inline. Default: see defaultDecodeThreads(). */
  threads?: number;
  /** Bodies shorter than this (compressed bytes) are decoded inline. Default 8 KiB. */
  inlineBelowBytes?: number;
  /** Jobs waiting per thread before further bodies are decoded inline. Default 4. */
  maxQueuedPerThread?: number;
}

/**
 * One thread per core beyond the first two (main thread and SQLite writer), and at least one: on a 2-core
 * machine the decode thread shares a core with the writer, which is idle most of the time during pushes.
 */
export function defaultDecodeThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 2));
}

interface Job {
  resolve: (c: ScannedWriteRequest) => void;
  reject: (e: Error) => void;
}

/** One worker thread and the jobs posted to it; a replacement thread gets a fresh job map. */
interface Running {
  worker: Worker;
  jobs: Map<number, Job>;
}

class DecodeThread {
  private running: Running | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  /** Jobs posted and not answered yet. */
  get load(): number {
    return this.running?.jobs.size ?? 0;
  }

  post(id: number, job: Job, body: Uint8Array, maxDecompressedBytes: number): void {
    const running = this.running ?? this.start();
    this.stopIdleTimer();
    running.jobs.set(id, job);
    // A private copy to transfer: the request's Buffer may be a slice of a larger pooled or socket buffer that
    // must not be detached. Copying ~100 KB costs microseconds; decoding it, milliseconds.
    const own = new Uint8Array(body);
    const msg: DecodeJob = { id, body: own, maxDecompressedBytes };
    running.worker.postMessage(msg, [own.buffer]);
  }

  async close(): Promise<void> {
    this.stopIdleTimer();
    const r = this.running;
    this.running = null;
    if (r !== null) await r.worker.terminate();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Servers that take one push a minute, and tests that start many servers, do not keep idle threads. */
  private armIdleTimer(): void {
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.load === 0) void this.close();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  private start(): Running {
    const running: Running = { worker: startDecodeWorker(), jobs: new Map() };
    const { worker, jobs } = running;
    // Idle decode threads must not keep the process alive (shutdown drains the write queue, not this pool).
    worker.unref();
    worker.on("message", (reply: DecodeReply) => {
      const job = jobs.get(reply.id);
      jobs.delete(reply.id);
      if (jobs.size === 0 && this.running === running) this.armIdleTimer();
      if (job === undefined) return;
      if ("columns" in reply) job.resolve(reply.columns);
      else job.reject(errorOf(reply.failure));
    });
    // Not the body's fault: 503, and the sender retries (the next job starts a new thread).
    const fail = (reason: string) => {
      if (this.running === running) this.running = null;
      const error = new IngestUnavailableError(`remote-write decode thread ${reason}; retry later`);
      for (const job of jobs.values()) job.reject(error);
      jobs.clear();
    };
    worker.on("error", (err) => fail(`failed (${err.message})`));
    worker.on("exit", (code) => fail(`exited (code ${code})`));
    this.running = running;
    return running;
  }
}

/**
 * From dist/ the worker is plain JavaScript. From TypeScript sources (tsx, vitest) it is a .ts file: Node 20 does
 * not apply `--import` loaders to a Worker, so a small ESM bootstrap registers tsx's loader inside the worker
 * (as store/worker-writer.ts does), and `--conditions=source` makes @meshscope/wire resolve to its sources too.
 */
function startDecodeWorker(): Worker {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new Worker(new URL("./remote-write-decode-worker.js", self));
  const tsxRoot = dirname(createRequire(self).resolve("tsx/package.json"));
  const tsxApi = pathToFileURL(join(tsxRoot, "dist/esm/api/index.mjs")).href;
  const entry = new URL("./remote-write-decode-worker.ts", self).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ["--conditions=source"] });
}

export function createRemoteWriteDecoder(opts: DecodePoolOptions = {}): RemoteWriteDecoder {
  const threads = Array.from({ length: opts.threads ?? defaultDecodeThreads() }, () => new DecodeThread());
  const inlineBelow = opts.inlineBelowBytes ?? 8 * 1024;
  const maxQueued = opts.maxQueuedPerThread ?? 4;
  let nextId = 1;

  const inline = (body: Uint8Array, maxDecompressedBytes: number) => {
    try {
      return Promise.resolve(decodeRemoteWriteColumns(body, { maxDecompressedBytes }));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    decode(body, maxDecompressedBytes) {
      if (threads.length === 0 || body.length < inlineBelow) return inline(body, maxDecompressedBytes);
      // The least busy thread; ties go to the first.
      let thread = threads[0];
      for (const t of threads) if (thread === undefined || t.load < thread.load) thread = t;
      if (thread === undefined || thread.load >= maxQueued) return inline(body, maxDecompressedBytes);
      const chosen = thread;
      return new Promise((resolve, reject) => chosen.post(nextId++, { resolve, reject }, body, maxDecompressedBytes));
    },
    async close() {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}
