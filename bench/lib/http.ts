/** Minimal HTTP helpers for the benchmarks (node:http, no client library in the measured path). */
import { type IncomingHttpHeaders, request } from "node:http";

export interface TextResponse {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export function getText(url: string, timeoutMs = 5_000): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

/**
 * The sum over all series of one counter in Prometheus text exposition, or null when the metric is absent.
 * Only the sample lines are read (`name{labels} value [timestamp]`); HELP/TYPE comments are skipped.
 */
export function counterValue(exposition: string, name: string): number | null {
  let total: number | null = null;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    // Guard against a longer metric name sharing the prefix (e.g. `<name>_created`).
    if (!(rest.startsWith("{") || rest.startsWith(" "))) continue;
    const afterLabels = rest.startsWith("{") ? rest.slice(rest.lastIndexOf("}") + 1) : rest;
    const value = Number(afterLabels.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

export async function scrapeCounter(metricsUrl: string, name: string): Promise<number | null> {
  try {
    const res = await getText(metricsUrl);
    return res.status === 200 ? counterValue(res.body, name) : null;
  } catch {
    return null;
  }
}
