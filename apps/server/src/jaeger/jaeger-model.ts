/**
 * The JSON shapes of Jaeger's v1 query API (jaegertracing/jaeger `internal/uimodel/model.go`, the "UI model"),
 * which Grafana's Jaeger data source and Jaeger UI read. Times are µs since the epoch, durations µs.
 */

export type JaegerTagType = "string" | "bool" | "int64" | "float64" | "binary";

/** A tag, process tag or log field. An int64 beyond 2^53 travels as a decimal string, binary as base64. */
export interface JaegerKeyValue {
  key: string;
  type: JaegerTagType;
  value: string | number | boolean;
}

export interface JaegerReference {
  refType: "CHILD_OF" | "FOLLOWS_FROM";
  traceID: string;
  spanID: string;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  /** Jaeger's sampling flags; 1 = sampled (every stored span was). */
  flags: number;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

export interface JaegerOperation {
  name: string;
  /** server | client | producer | consumer | internal, or "" when the span kind is unspecified. */
  spanKind: string;
}

export interface JaegerDependencyLink {
  parent: string;
  child: string;
  callCount: number;
}

/** An entry of `errors`: `code` is absent for a trace id of a multi-id search that was not found. */
export interface JaegerError {
  code?: number;
  msg: string;
  traceID?: string;
}

/** Every v1 answer, success or failure (Jaeger serialises it without omitempty, so all five keys are present). */
export interface JaegerEnvelope<T> {
  data: T;
  total: number;
  limit: number;
  offset: number;
  errors: JaegerError[] | null;
}
