/** Saves the trace as an OTLP JSON file (the format every OTel tool reads back), built in the browser. */
import type { ApiSpan } from "@meshscope/model";
import { toOtlpJson } from "./convert/otlp-json";

export function downloadTraceJson(traceId: string, spans: readonly ApiSpan[]): void {
  const blob = new Blob([JSON.stringify(toOtlpJson(traceId, spans))], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `trace-${traceId.replace(/[^0-9a-zA-Z]/g, "")}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the download has started; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
