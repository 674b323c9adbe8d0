/** Typed reads of the meshscope API for tests: every answer is validated with the model's zod schemas. */
import {
  ErrorEnvelope,
  OperationsResponse,
  ServicesResponse,
  TraceResponse,
  TraceSearchResponse,
} from "@meshscope/model";
import type { z } from "zod";

async function getJson<S extends z.ZodType>(url: string, schema: S): Promise<z.output<S>> {
  const res = await fetch(url);
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`GET ${url} → ${res.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}

export function apiClient(consoleUrl: string) {
  return {
    trace: (traceId: string) => getJson(`${consoleUrl}/api/traces/${traceId}`, TraceResponse),
    search: (params: Record<string, string>) =>
      getJson(`${consoleUrl}/api/traces?${new URLSearchParams(params)}`, TraceSearchResponse),
    services: () => getJson(`${consoleUrl}/api/services`, ServicesResponse),
    operations: (params: Record<string, string>) =>
      getJson(`${consoleUrl}/api/operations?${new URLSearchParams(params)}`, OperationsResponse),
    /** Status and parsed error envelope of a request expected to fail. */
    async error(path: string): Promise<{ status: number; body: ErrorEnvelope }> {
      const res = await fetch(`${consoleUrl}${path}`);
      return { status: res.status, body: ErrorEnvelope.parse(await res.json()) };
    },
    /** The trace's span ids, or [] while it is not (yet) stored. */
    async spanIds(traceId: string): Promise<string[]> {
      const res = await fetch(`${consoleUrl}/api/traces/${traceId}`);
      if (res.status === 404) return [];
      if (!res.ok) throw new Error(`GET trace ${traceId} → ${res.status}`);
      return TraceResponse.parse(await res.json()).spans.map((s) => s.spanId);
    },
  };
}
