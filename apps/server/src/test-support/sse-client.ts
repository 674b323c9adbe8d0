/** A minimal Server-Sent Events reader over fetch streaming, for tests: collects `data` payloads and comments. */
import { LiveEvent } from "@meshscope/model";

export interface SseStream {
  status: number;
  contentType: string | null;
  /** Every parsed event so far, in order. */
  events: LiveEvent[];
  /** Raw field lines other than `data` (e.g. `retry: 3000`, `: heartbeat`). */
  otherLines: string[];
  /** Resolves once `count` events have arrived, or rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs: number): Promise<LiveEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal, headers: { accept: "text/event-stream" } });
  const events: LiveEvent[] = [];
  const otherLines: string[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut = buffer.indexOf("\n");
        while (cut !== -1) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 1);
          if (line.startsWith("data: ")) events.push(LiveEvent.parse(JSON.parse(line.slice(6))));
          else if (line !== "") otherLines.push(line);
          cut = buffer.indexOf("\n");
        }
        for (const w of [...waiters]) w();
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    events,
    otherLines,
    waitForEvents(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`only ${events.length} of ${count} events within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    ended,
    close: () => abort.abort(),
  };
}
