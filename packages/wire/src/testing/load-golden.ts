import type { SpanRecord } from "@meshscope/model";
import { runInCleanWorker } from "./clean-worker.js";
import type { GoldenFixture } from "./otel-fixtures.js";

function isSpanRecordArray(value: unknown): value is SpanRecord[] {
  // Produced by expectedRecord() in this repo; a shallow check is enough to catch a broken fixture worker.
  return Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "spanId" in v);
}

function isGoldenFixture(value: unknown): value is GoldenFixture {
  if (typeof value !== "object" || value === null) return false;
  return (
    "protobuf" in value &&
    value.protobuf instanceof Uint8Array &&
    "json" in value &&
    typeof value.json === "string" &&
    "expected" in value &&
    isSpanRecordArray(value.expected) &&
    "rootStartSdkMicros" in value &&
    typeof value.rootStartSdkMicros === "number" &&
    "hostileProtobuf" in value &&
    value.hostileProtobuf instanceof Uint8Array &&
    "hostileJson" in value &&
    typeof value.hostileJson === "string"
  );
}

/** The golden requests and expectations, made by the real OpenTelemetry SDK and serializers. */
export async function loadGoldenFixture(): Promise<GoldenFixture> {
  const value = await runInCleanWorker(new URL("./otel-fixtures.ts", import.meta.url), "goldenFixture");
  if (!isGoldenFixture(value)) throw new Error("the golden fixture worker returned an unexpected shape");
  return value;
}
