// A faithful fake of the Kubernetes API server, for the Istio custom resources only. No API server can run in
// this environment, so the Kubernetes target is tested against this: a real HTTP server on 127.0.0.1 that
// speaks the same REST paths, query parameters, content types, status codes and `kind: Status` error bodies as
// kube-apiserver does for custom resources, and enforces what the target relies on:
// - resourceVersion: one counter for the whole store, bumped by every persisted write; a PUT or an apply that
//   names a stale resourceVersion gets 409 Conflict;
// - server-side apply (`application/apply-patch+yaml`): fieldManager required, per-field ownership tracked in
//   `metadata.managedFields`, 409 when another manager owns a field the apply changes (unless `force=true`),
//   fields the applier no longer sets are removed, a no-op apply does not bump the resourceVersion;
// - `dryRun=All`: every check runs, nothing is stored;
// - validation: 422 Invalid for a missing spec, a wrong kind, a bad name and Istio's CEL duration rules;
// - 404 NotFound for unknown objects and resources, 401 without the bearer token, 403 for denied verbs.
// Not modelled: watch streams, label/field selectors, pagination, namespaces as objects (every namespace exists),
// finalizers, and list-type=map merging (Istio's CRDs use none).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseYaml } from "yaml";
import { isJsonObject, type Json, type JsonObject, valueAt } from "./fake-kube-fields.testing.js";
import { badRequest, forbidden, notFoundResource, StatusError } from "./fake-kube-status.testing.js";
import { FakeKubeStore, type ObjectAddress, type WriteResult } from "./fake-kube-store.testing.js";
import { ISTIO_RESOURCES, type IstioResource } from "./resources.js";

export interface FakeRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
}

export interface FakeKubeApiOptions {
  /** The bearer token clients must send (default: a fresh random one). */
  token?: string;
  /** RBAC in one function: true denies the verb (`list`, `get`, `create`, `update`, `patch`, `delete`). */
  deny?: (verb: string, resource: IstioResource, namespace: string | undefined) => boolean;
}

export interface FakeKubeApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly token: string;
  /** Every request served, in order. */
  readonly requests: FakeRequestRecord[];
  /** The stored object as the API server would answer a GET, or undefined. */
  get(plural: string, namespace: string, name: string): JsonObject | undefined;
  /** `metadata.resourceVersion` of the stored object, or undefined. */
  resourceVersion(plural: string, namespace: string, name: string): string | undefined;
  /**
   * Stores an object as is, skipping validation: what an older API server, or a CRD installed without a schema,
   * may hold. For objects the target must survive reading.
   */
  seedRaw(plural: string, object: JsonObject): void;
  close(): Promise<void>;
}

interface Route {
  resource: IstioResource;
  namespace: string | undefined;
  name: string | undefined;
}

/** `/apis/{group}/{version}/{plural}` or `/apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]`. */
function route(pathname: string): Route {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const [apis, group, version, ...rest] = parts;
  if (apis !== "apis") throw notFoundResource();
  let namespace: string | undefined;
  let plural: string | undefined;
  let name: string | undefined;
  if (rest.length === 1) [plural] = rest;
  else if (rest[0] === "namespaces" && (rest.length === 3 || rest.length === 4)) [, namespace, plural, name] = rest;
  else throw notFoundResource();
  const resource = ISTIO_RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
  if (resource === undefined) throw notFoundResource();
  return { resource, namespace, name };
}

function isDryRun(query: URLSearchParams): boolean {
  const value = query.get("dryRun");
  if (value === null) return false;
  if (value !== "All") throw badRequest(`dryRun: Unsupported value: "${value}": supported values: "All"`);
  return true;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** A parsed JSON/YAML document is JSON data already; rebuilding it lets the type say so without a cast. */
function toJson(value: unknown): Json {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string") {
    return value;
  }
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return null;
}

/** JSON for POST, PUT and merge patch; YAML (of which JSON is a subset) for apply patches. */
async function readObject(req: IncomingMessage, yaml: boolean): Promise<JsonObject> {
  const text = await readBody(req);
  let value: unknown;
  try {
    value = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw badRequest(`error decoding ${yaml ? "YAML" : "JSON"}: ${why}`);
  }
  const json = toJson(value);
  if (!isJsonObject(json)) throw badRequest("Object 'Kind' is missing in the request body");
  return json;
}

const methodNotAllowed = () =>
  new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

const unsupportedMediaType = () =>
  new StatusError(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - accepted media types include: " +
      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
  );

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
}

/** The field manager of a non-apply write: `?fieldManager=`, else the client's user-agent, as kube-apiserver does. */
function updateManager(req: IncomingMessage, query: URLSearchParams): string {
  return query.get("fieldManager") ?? (req.headers["user-agent"] ?? "unknown").split("/")[0] ?? "unknown";
}

export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const token = options.token ?? randomUUID();
  const store = new FakeKubeStore();
  const requests: FakeRequestRecord[] = [];

  function authorize(req: IncomingMessage, verb: string, r: Route): void {
    if (req.headers.authorization !== `Bearer ${token}`) throw new StatusError(401, "Unauthorized", "Unauthorized");
    if (options.deny?.(verb, r.resource, r.namespace)) throw forbidden(verb, r.resource, r.namespace, r.name);
  }

  async function onCollection(req: IncomingMessage, r: Route, query: URLSearchParams): Promise<WriteResult> {
    if (req.method === "GET") {
      authorize(req, "list", r);
      return { status: 200, body: store.list(r.resource, r.namespace) };
    }
    if (req.method !== "POST" || r.namespace === undefined) throw methodNotAllowed();
    authorize(req, "create", r);
    const dryRun = isDryRun(query);
    const body = await readObject(req, false);
    const name = isJsonObject(body.metadata) && typeof body.metadata.name === "string" ? body.metadata.name : "";
    return store.create(
      { resource: r.resource, namespace: r.namespace, name },
      body,
      updateManager(req, query),
      dryRun,
    );
  }

  async function onObject(req: IncomingMessage, at: ObjectAddress, r: Route, query: URLSearchParams) {
    const verb = { GET: "get", PUT: "update", PATCH: "patch", DELETE: "delete" }[req.method ?? ""];
    if (verb === undefined) throw methodNotAllowed();
    authorize(req, verb, r);
    const dryRun = isDryRun(query);
    if (verb === "get") return { status: 200, body: store.read(at) };
    if (verb === "delete") return store.remove(at, dryRun);
    if (verb === "update") return store.replace(at, await readObject(req, false), updateManager(req, query), dryRun);
    const contentType = contentTypeOf(req);
    if (contentType === "application/apply-patch+yaml") {
      const force = query.get("force") === "true";
      return store.apply(at, await readObject(req, true), query.get("fieldManager") ?? "", force, dryRun);
    }
    if (query.has("force")) throw badRequest("force: Forbidden: may not be specified for non-apply patch");
    if (contentType !== "application/merge-patch+json") throw unsupportedMediaType();
    return store.mergePatch(at, await readObject(req, false), updateManager(req, query), dryRun);
  }

  async function handle(req: IncomingMessage): Promise<WriteResult> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query = url.searchParams;
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(query),
      contentType: contentTypeOf(req),
    });
    const r = route(url.pathname);
    if (r.name === undefined || r.namespace === undefined) return onCollection(req, r, query);
    return onObject(req, { resource: r.resource, namespace: r.namespace, name: r.name }, r, query);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    handle(req)
      .then(({ status, body }) => send(res, status, body))
      .catch((error: unknown) => {
        const status = error instanceof StatusError ? error : new StatusError(500, "InternalError", String(error));
        send(res, status.code, status.toStatus());
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // node:http types address() as string | AddressInfo | null; a TCP listener always answers AddressInfo.
  const { port } = server.address() as AddressInfo;

  const address = (plural: string, namespace: string, name: string): ObjectAddress => {
    const resource = ISTIO_RESOURCES.find((r) => r.plural === plural);
    if (resource === undefined) throw new Error(`the fake serves no resource "${plural}"`);
    return { resource, namespace, name };
  };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    get: (plural, namespace, name) => store.find(address(plural, namespace, name)),
    resourceVersion(plural, namespace, name) {
      const version = valueAt(store.find(address(plural, namespace, name)) ?? {}, '["metadata","resourceVersion"]');
      return typeof version === "string" ? version : undefined;
    },
    seedRaw: (plural, object) => store.seedRaw(address(plural, "", "").resource, object),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function send(res: ServerResponse, status: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
