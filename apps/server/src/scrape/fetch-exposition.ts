/**
 * One HTTP GET of a Prometheus text endpoint (Envoy's `:15090/stats/prometheus`, pilot-agent's `:15020`), with
 * the limits a scrape needs: a deadline for the whole exchange (connect, headers and body) and a cap on the body
 * after decompression, checked while it streams in so an endless or bomb-like body costs at most the cap.
 */

/** We parse the text format 0.0.4 only, so we ask for it first (Prometheus' own header prefers OpenMetrics). */
export const SCRAPE_ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

/** Why a scrape failed, in words for `/api/scrape-targets`. */
export class ScrapeError extends Error {
  override name = "ScrapeError";
}

export interface FetchExpositionOptions {
  timeoutMs: number;
  maxBodyBytes: number;
  /** Aborted when the scraper stops: the request in flight is cancelled rather than waited for. */
  stopSignal: AbortSignal;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** "connect ECONNREFUSED 127.0.0.1:9" rather than undici's bare "fetch failed". */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ScrapeError(`body exceeds the limit of ${maxBytes} bytes (after decompression)`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

export async function fetchExposition(url: string, opts: FetchExpositionOptions): Promise<string> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([timeout, opts.stopSignal]);
  const failure = (error: unknown): Error => {
    if (error instanceof ScrapeError) return error;
    if (timeout.aborted) return new ScrapeError(`scrape timed out after ${opts.timeoutMs} ms`);
    if (opts.stopSignal.aborted) return new ScrapeError("scraper stopped");
    return new ScrapeError(networkReason(error));
  };
  try {
    const res = await fetch(url, {
      signal,
      headers: {
        Accept: SCRAPE_ACCEPT,
        // fetch inflates gzip itself; the cap below applies to the inflated bytes.
        "Accept-Encoding": "gzip",
        "User-Agent": "meshscope-scraper",
        // As Prometheus sends it, so an exporter can bound its own work.
        "X-Prometheus-Scrape-Timeout-Seconds": String(opts.timeoutMs / 1000),
      },
    });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new ScrapeError(`server returned HTTP ${res.status} ${res.statusText}`.trim());
    }
    const bytes = res.body ? await readCapped(res.body, opts.maxBodyBytes) : new Uint8Array(0);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new ScrapeError("response is not UTF-8 text (not a Prometheus text exposition)");
    }
  } catch (error) {
    throw failure(error);
  }
}
