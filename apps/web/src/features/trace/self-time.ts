/**
 * Self time: a span's duration minus the union of its direct children's intervals, clipped to the span (what
 * Jaeger's `compute-span-self-time` sweep computes). Overlapping children count once; a child spilling out of its
 * parent (clock skew, async work) only counts where it overlaps. Children come in start order in the model, so
 * their union is a single merge sweep per parent, and all self times together are one O(n) pass.
 */
import type { TraceModel } from "./trace-model";

/** Self time of the span at DFS position `i`, µs. */
export function selfTimeOf(model: TraceModel, i: number): number {
  const span = model.spans[i];
  if (!span) return 0;
  const s = span.start;
  const e = span.start + span.duration;
  let covered = 0;
  let runStart = Number.NaN;
  let runEnd = Number.NaN;
  const stop = model.subtreeEnd[i] as number;
  for (let c = i + 1; c < stop; c = model.subtreeEnd[c] as number) {
    const child = model.spans[c];
    if (!child) continue;
    const cs = Math.max(child.start, s);
    const ce = Math.min(child.start + child.duration, e);
    if (ce <= cs) continue;
    if (Number.isNaN(runStart) || cs > runEnd) {
      if (!Number.isNaN(runStart)) covered += runEnd - runStart;
      runStart = cs;
      runEnd = ce;
    } else if (ce > runEnd) {
      runEnd = ce;
    }
  }
  if (!Number.isNaN(runStart)) covered += runEnd - runStart;
  return Math.max(0, span.duration - covered);
}

export function selfTimes(model: TraceModel): Float64Array {
  const self = new Float64Array(model.spans.length);
  for (let i = 0; i < self.length; i++) self[i] = selfTimeOf(model, i);
  return self;
}
