/**
 * A trace file the user opens on `/traces/open`: OTLP JSON (`{resourceSpans:[…]}`, also one request per line as
 * the Collector's file exporter writes), or Jaeger JSON (`{data:[…]}`). Parsed in the browser and never stored.
 */

import { fromJaegerJson, looksLikeJaeger } from "./jaeger-json";
import { isObject, TraceFileError } from "./json-read";
import { fromOtlpJson, type ParsedTrace } from "./otlp-json";

export type TraceFileFormat = "otlp" | "jaeger";

export interface TraceFile {
  format: TraceFileFormat;
  traces: ParsedTrace[];
}

function parseDocument(body: unknown, where: string): TraceFile {
  if (!isObject(body)) throw new TraceFileError(`${where}: expected a JSON object`);
  if ("resourceSpans" in body) return { format: "otlp", traces: fromOtlpJson(body) };
  if (looksLikeJaeger(body)) return { format: "jaeger", traces: fromJaegerJson(body) };
  throw new TraceFileError(`${where}: neither OTLP JSON ({"resourceSpans": […]}) nor Jaeger JSON ({"data": […]})`);
}

/** Merges traces with the same id (JSON lines may split one trace over many requests). */
function merge(files: readonly TraceFile[]): TraceFile {
  const byId = new Map<string, ParsedTrace>();
  for (const file of files) {
    for (const trace of file.traces) {
      const seen = byId.get(trace.traceId);
      if (seen) seen.spans.push(...trace.spans);
      else byId.set(trace.traceId, { traceId: trace.traceId, spans: [...trace.spans] });
    }
  }
  return { format: files[0]?.format ?? "otlp", traces: [...byId.values()] };
}

export function readTraceFile(text: string): TraceFile {
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    if (lines.length < 2) throw new TraceFileError("the file is not valid JSON");
    return merge(
      lines.map((line, i) => {
        let doc: unknown;
        try {
          doc = JSON.parse(line);
        } catch {
          throw new TraceFileError(`line ${i + 1} is not valid JSON`);
        }
        return parseDocument(doc, `line ${i + 1}`);
      }),
    );
  }
  const file = parseDocument(whole, "the file");
  if (file.traces.length === 0) throw new TraceFileError("the file holds no spans");
  return merge([file]);
}
