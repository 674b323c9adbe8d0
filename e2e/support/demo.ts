/**
 * Waiting for the bundled demo mesh (the `demo` project's server runs Bookinfo): specs start as soon as the
 * server is up, and the first scrapes take a few seconds to turn into rates.
 */
import { type APIRequestContext, expect } from "@playwright/test";

interface ServiceRow {
  name: string;
  namespace: string | null;
  inboundRps: number;
  versions: string[];
}

function isServiceRow(v: unknown): v is ServiceRow {
  return (
    typeof v === "object" &&
    v !== null &&
    "name" in v &&
    typeof v.name === "string" &&
    "namespace" in v &&
    (typeof v.namespace === "string" || v.namespace === null) &&
    "inboundRps" in v &&
    typeof v.inboundRps === "number" &&
    "versions" in v &&
    Array.isArray(v.versions) &&
    v.versions.every((x) => typeof x === "string")
  );
}

async function services(request: APIRequestContext): Promise<ServiceRow[]> {
  const response = await request.get("/api/services?window=300");
  if (!response.ok()) return [];
  const body: unknown = await response.json();
  if (typeof body !== "object" || body === null || !("services" in body) || !Array.isArray(body.services)) return [];
  return body.services.filter(isServiceRow);
}

/** Resolves once Bookinfo's reviews service reports traffic to all three versions. */
export async function waitForBookinfo(request: APIRequestContext): Promise<void> {
  await expect
    .poll(
      async () => {
        const reviews = (await services(request)).find((s) => s.namespace === "bookinfo" && s.name === "reviews");
        return reviews && reviews.inboundRps > 0 ? [...reviews.versions].sort() : [];
      },
      { timeout: 60_000, intervals: [1000], message: "the demo's reviews service to report v1, v2 and v3" },
    )
    .toEqual(["v1", "v2", "v3"]);
}
