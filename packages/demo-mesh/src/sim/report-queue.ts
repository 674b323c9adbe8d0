// What proxies will report, held until the virtual clock passes the moment they report it. A simulated request
// knows all its reports at once (sorted by time); the heap holds one cursor per request keyed by its next report,
// so the heap stays as small as the number of requests still in flight.

import type { DemoSpan, IstioRequestLabels } from "./contracts.js";

/**
 * One thing a proxy reports at `atMs`: a finished request for the metrics (`labels` set) or a span (`span` set).
 * One shape for both keeps the hot loops monomorphic.
 */
export interface Report {
  atMs: number;
  labels: IstioRequestLabels | null;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  span: DemoSpan | null;
}

export function metricReport(
  atMs: number,
  labels: IstioRequestLabels,
  durationMs: number,
  requestBytes: number,
  responseBytes: number,
): Report {
  return { atMs, labels, durationMs, requestBytes, responseBytes, span: null };
}

export function spanReport(span: DemoSpan): Report {
  return { atMs: span.endMs, labels: null, durationMs: 0, requestBytes: 0, responseBytes: 0, span };
}

/**
 * Makes a request's spans due together, when its last span ends (metric reports keep their own times). Envoy
 * flushes each span as it ends, and the gateway's span ends last: exported one by one, a trace would reach the
 * console without its root for up to an export interval, and a search in that window shows a child span (e.g.
 * productpage's call to details) as the trace's root. Tracing pipelines group spans by trace before storage for
 * this reason (the OpenTelemetry Collector's groupbytrace processor); the demo does the same, so its traces
 * arrive whole.
 */
export function holdSpansUntilTraceEnds(reports: readonly Report[]): void {
  let lastEndMs = Number.NEGATIVE_INFINITY;
  for (const r of reports) if (r.span) lastEndMs = Math.max(lastEndMs, r.atMs);
  for (const r of reports) if (r.span) r.atMs = lastEndMs;
}

interface Cursor {
  atMs: number;
  seq: number;
  reports: Report[];
  next: number;
}

const before = (a: Cursor, b: Cursor): boolean => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);

export class ReportQueue {
  private readonly heap: Cursor[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Queue one request's reports (any order: they are sorted here, stably). */
  push(reports: Report[]): void {
    if (reports.length === 0) return;
    reports.sort((a, b) => a.atMs - b.atMs);
    const first = reports[0];
    if (!first) return;
    this.insert({ atMs: first.atMs, seq: this.seq++, reports, next: 0 });
  }

  /** Hand every report due by `toMs` to `deliver`, in (time, request order). */
  drain(toMs: number, deliver: (r: Report) => void): void {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0];
      if (!top || top.atMs > toMs) return;
      const report = top.reports[top.next++];
      if (report) deliver(report);
      const following = top.reports[top.next];
      if (following) {
        top.atMs = following.atMs;
        this.siftDown(0);
      } else {
        const last = heap.pop();
        if (last && heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
      }
    }
  }

  private insert(c: Cursor): void {
    const heap = this.heap;
    heap.push(c);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = heap[p];
      if (!parent || !before(c, parent)) break;
      heap[i] = parent;
      i = p;
    }
    heap[i] = c;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const c = heap[start];
    if (!c) return;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const left = heap[l];
      const right = heap[l + 1];
      let m = l;
      let child = left;
      if (right && left && before(right, left)) {
        m = l + 1;
        child = right;
      }
      if (!child || !before(child, c)) break;
      heap[i] = child;
      i = m;
    }
    heap[i] = c;
  }
}
