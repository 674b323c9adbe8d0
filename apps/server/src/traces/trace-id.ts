/**
 * Trace ids in URLs: 32 hex characters, any case; 16-character ids (64-bit, as Zipkin and older Jaeger clients
 * make) are left-padded with zeros to the 32 we store, as Jaeger does. Returns null for anything else.
 */
export function normaliseTraceId(text: string): string | null {
  if (!/^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/.test(text)) return null;
  return text.toLowerCase().padStart(32, "0");
}
