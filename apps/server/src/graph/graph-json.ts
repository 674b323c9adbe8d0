/**
 * The bytes of a graph answer, serialised once per shared (frozen) graph.
 *
 * The all-namespace graph of a 1,000-service mesh is ~3.3 MB of JSON; stringifying it, encoding it and hashing it
 * for the ETag cost more than building it once the graph itself is memoised (build-graph.ts). A frozen graph
 * cannot change, so its bytes and ETag are kept beside it (a WeakMap: they go when the graph does). Graphs that
 * are not frozen (decorated or merged copies) are serialised on every call.
 */
import { createHash } from "node:crypto";
import type { GraphResponse } from "@meshscope/model";

export interface GraphJson {
  /**
   * The graph's JSON, exactly what JSON.stringify gives. Kept and sent as text: a Buffer copy of a live graph
   * (3 MB) per request was external memory that V8 answered with a young-generation collection every few
   * requests; the socket encodes the text itself.
   */
  text: string;
  /** Its length in UTF-8 bytes (Content-Length). */
  byteLength: number;
  /** A weak ETag in the format Express generates (`W/"<length hex>-<sha1 base64>"`), so clients can revalidate. */
  etag: string;
  /** The text as UTF-8, for a shared (frozen) graph only: sent again and again, it is encoded once. */
  bytes?: Buffer;
}

const serialised = new WeakMap<GraphResponse, GraphJson>();

function serialise(graph: GraphResponse): GraphJson {
  const text = JSON.stringify(graph);
  const byteLength = Buffer.byteLength(text, "utf8");
  const hash = createHash("sha1").update(text, "utf8").digest("base64").slice(0, 27);
  return { text, byteLength, etag: `W/"${byteLength.toString(16)}-${hash}"` };
}

export function graphJson(graph: GraphResponse): GraphJson {
  if (!Object.isFrozen(graph)) return serialise(graph);
  let json = serialised.get(graph);
  if (json === undefined) {
    json = serialise(graph);
    json.bytes = Buffer.from(json.text, "utf8");
    serialised.set(graph, json);
  }
  return json;
}
