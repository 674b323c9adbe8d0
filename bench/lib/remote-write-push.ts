/**
 * Pushes pre-encoded remote-write bodies to a receiver over keep-alive connections, a fixed number in flight,
 * and times the whole batch. A 429/503 answer (backpressure) is retried after a short pause and counted.
 */
import { Agent, request } from "node:http";

const HEADERS = {
  "content-type": "application/x-protobuf",
  "content-encoding": "snappy",
  "x-prometheus-remote-write-version": "0.1.0",
};

export interface PushResult {
  seconds: number;
  retries: number;
}

function post(agent: Agent, url: string, body: Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { ...HEADERS, "content-length": body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function pushAll(url: string, bodies: readonly Uint8Array[], concurrency: number): Promise<PushResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let retries = 0;
  const worker = async () => {
    for (;;) {
      const body = bodies[next++];
      if (body === undefined) return;
      for (;;) {
        const res = await post(agent, url, body);
        if (res.status >= 200 && res.status < 300) break;
        if (res.status !== 429 && res.status !== 503) {
          throw new Error(`POST ${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
        }
        retries++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const started = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, retries };
}
