/** The media type of a Content-Type header, lower-cased and without parameters (`; charset=utf-8` is fine:
 * JSON is UTF-8 by definition, RFC 8259 §8.1). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a JSON body as strict UTF-8, so invalid bytes are a 400 rather than silently replaced. Returns null
 * when the bytes are not UTF-8. A leading byte-order mark is dropped by TextDecoder. */
export function decodeUtf8(body: Uint8Array): string | null {
  try {
    return utf8.decode(body);
  } catch {
    return null;
  }
}
