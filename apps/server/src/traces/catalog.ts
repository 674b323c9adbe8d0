/** The lists behind the search form: services that sent spans, and the operations of one service. */
import type { OperationsResponse, ServicesResponse, SpanKind } from "@meshscope/model";
import type { TraceReader } from "../store/trace-store.js";

export function listServices(reader: TraceReader): ServicesResponse {
  return { services: reader.listServices().map((s) => ({ name: s.name, namespace: s.namespace })) };
}

export function listOperations(reader: TraceReader, service: string, spanKind?: SpanKind): OperationsResponse {
  return { operations: reader.listOperations(service, spanKind).map((o) => ({ name: o.name, spanKind: o.spanKind })) };
}
