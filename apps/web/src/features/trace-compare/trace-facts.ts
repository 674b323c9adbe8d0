import type { ApiSpan } from "@meshscope/model";

export interface TraceFacts {
  rootService: string;
  rootName: string;
  startUs: number;
  durationUs: number;
  spanCount: number;
  errorCount: number;
}

/** What the comparison header says about each side: the earliest root span names the trace, as in the search. */
export function traceFacts(spans: readonly ApiSpan[]): TraceFacts {
  const ids = new Set(spans.map((s) => s.spanId));
  let root: ApiSpan | undefined;
  let startUs = Number.POSITIVE_INFINITY;
  let endUs = Number.NEGATIVE_INFINITY;
  let errorCount = 0;
  for (const span of spans) {
    startUs = Math.min(startUs, span.start);
    endUs = Math.max(endUs, span.start + span.duration);
    if (span.status.code === "error") errorCount++;
    const isRoot = span.parentSpanId === null || !ids.has(span.parentSpanId);
    if (isRoot && (root === undefined || span.start < root.start)) root = span;
  }
  return {
    rootService: root?.service ?? "",
    rootName: root?.name ?? "",
    startUs: spans.length > 0 ? startUs : 0,
    durationUs: spans.length > 0 ? endUs - startUs : 0,
    spanCount: spans.length,
    errorCount,
  };
}
