/** Builders of API spans for the unit tests: only what a test cares about is spelled out. */
import type { ApiSpan } from "@meshscope/model";

export function span(
  spanId: string,
  parentSpanId: string | null,
  start: number,
  duration: number,
  extra: Partial<ApiSpan> = {},
): ApiSpan {
  return {
    spanId,
    parentSpanId,
    service: "svc",
    namespace: null,
    name: `op-${spanId}`,
    kind: "internal",
    start,
    duration,
    status: { code: "unset" },
    attributes: {},
    resource: {},
    scope: null,
    events: [],
    links: [],
    ...extra,
  };
}
