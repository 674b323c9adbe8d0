// A tiny OTLP/HTTP traces receiver for tests: decodes every POST with @meshscope/wire and keeps the spans.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { SpanRecord } from "@meshscope/model";
import { decodeOtlpTracesProtobuf, encodeOtlpTraceExportResponse } from "@meshscope/wire";

export interface TestOtlpReceiver {
  url: string;
  spans: SpanRecord[];
  requests: number;
  /** Answer every request with this status (e.g. 400 to simulate a rejecting receiver); default 200. */
  status: number;
  /** Hold every answer until this resolves (to simulate a slow receiver). */
  hold: Promise<void> | null;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

export async function startTestOtlpReceiver(): Promise<TestOtlpReceiver> {
  const receiver: TestOtlpReceiver = {
    url: "",
    spans: [],
    requests: 0,
    status: 200,
    hold: null,
    close: () => closeServer(server),
  };
  const server: Server = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      receiver.requests++;
      if (receiver.hold) await receiver.hold;
      if (receiver.status !== 200) {
        res.writeHead(receiver.status, { "content-type": "text/plain" }).end("rejected by test");
        return;
      }
      receiver.spans.push(...decodeOtlpTracesProtobuf(body).spans);
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end(encodeOtlpTraceExportResponse(0, ""));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("receiver did not bind a TCP port");
  receiver.url = `http://127.0.0.1:${address.port}/v1/traces`;
  return receiver;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
