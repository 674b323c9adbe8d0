// The storage of the faithful fake API server: objects, their managers, one resourceVersion counter, and the
// write semantics of kube-apiserver for custom resources (create, update, merge patch, server-side apply,
// delete, each with `dryRun=All`). HTTP is in fake-kube-api.testing.ts.
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import {
  fieldsOf,
  fieldsV1,
  findConflicts,
  isJsonObject,
  type Json,
  type JsonObject,
  type ManagerEntry,
  overlaps,
  removeAt,
  setAt,
  valueAt,
} from "./fake-kube-fields.testing.js";
import {
  alreadyExists,
  applyConflict,
  checkBodyMatchesUrl,
  invalid,
  modifiedConflict,
  notFound,
  resourceVersionOnCreate,
  validateObject,
} from "./fake-kube-status.testing.js";
import type { IstioResource } from "./resources.js";

export interface ObjectAddress {
  resource: IstioResource;
  namespace: string;
  name: string;
}

export interface WriteResult {
  status: number;
  body: JsonObject;
}

interface StoredEntry {
  resource: IstioResource;
  object: JsonObject;
  managers: Map<string, ManagerEntry>;
}

const RESOURCE_VERSION = '["metadata","resourceVersion"]';

function metadataOf(object: JsonObject): JsonObject {
  return isJsonObject(object.metadata) ? object.metadata : {};
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const out: JsonObject = isJsonObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The config a client sent (labels, annotations, spec, ...) without the metadata only the server sets. */
function clientObject(body: JsonObject, at: ObjectAddress): JsonObject {
  const {
    managedFields: _m,
    resourceVersion: _rv,
    uid: _u,
    creationTimestamp: _c,
    generation: _g,
    ...config
  } = metadataOf(body);
  return { ...body, metadata: { ...config, name: at.name, namespace: at.namespace } };
}

export class FakeKubeStore {
  private readonly entries = new Map<string, StoredEntry>();
  private revision = 1000;

  private key(resource: IstioResource, namespace: string, name: string): string {
    return `${resource.plural}/${namespace}/${name}`;
  }

  private entry(at: ObjectAddress): StoredEntry | undefined {
    return this.entries.get(this.key(at.resource, at.namespace, at.name));
  }

  /** The object with server-populated managedFields, as every GET, LIST and write answers it. */
  private render(entry: StoredEntry): JsonObject {
    const managedFields: Json[] = [...entry.managers].map(([manager, m]) => ({
      manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: "FieldsV1",
      fieldsV1: fieldsV1(m.fields),
    }));
    const object = structuredClone(entry.object);
    return { ...object, metadata: { ...metadataOf(object), managedFields } };
  }

  /** Persists (unless dry-run) with a new resourceVersion; generation counts spec changes, as for CRDs. */
  private commit(at: ObjectAddress, next: StoredEntry, previous: StoredEntry | undefined, dryRun: boolean) {
    const before = previous === undefined ? undefined : metadataOf(previous.object);
    const generation = typeof before?.generation === "number" ? before.generation : 0;
    const specChanged = !isDeepStrictEqual(previous?.object.spec, next.object.spec);
    next.object.metadata = {
      ...metadataOf(next.object),
      uid: before?.uid ?? randomUUID(),
      creationTimestamp: before?.creationTimestamp ?? now(),
      generation: specChanged ? generation + 1 : generation,
      // A dry-run answer carries the version the write would have had, without using it up.
      resourceVersion: String(dryRun ? this.revision + 1 : ++this.revision),
    };
    if (!dryRun) this.entries.set(this.key(at.resource, at.namespace, at.name), next);
    return this.render(next);
  }

  list(resource: IstioResource, namespace: string | undefined): JsonObject {
    const items = [...this.entries.values()]
      .filter((e) => e.resource === resource)
      .filter((e) => namespace === undefined || metadataOf(e.object).namespace === namespace)
      .map((e) => this.render(e));
    return {
      apiVersion: `${resource.group}/${resource.version}`,
      kind: `${resource.kind}List`,
      metadata: { resourceVersion: String(this.revision) },
      items,
    };
  }

  /** GET: the object, or 404. */
  read(at: ObjectAddress): JsonObject {
    const entry = this.entry(at);
    if (entry === undefined) throw notFound(at.resource, at.name);
    return this.render(entry);
  }

  find(at: ObjectAddress): JsonObject | undefined {
    const entry = this.entry(at);
    return entry === undefined ? undefined : this.render(entry);
  }

  /** Stores an object without any check (see FakeKubeApi.seedRaw). */
  seedRaw(resource: IstioResource, object: JsonObject): void {
    const metadata = metadataOf(object);
    const at = { resource, namespace: String(metadata.namespace), name: String(metadata.name) };
    this.commit(at, { resource, object: structuredClone(object), managers: new Map() }, undefined, false);
  }

  create(at: ObjectAddress, body: JsonObject, manager: string, dryRun: boolean): WriteResult {
    checkBodyMatchesUrl(at.resource, at.namespace, at.name, body);
    validateObject(at.resource, body, at.name);
    if (this.entry(at) !== undefined) throw alreadyExists(at.resource, at.name);
    const object = clientObject(body, at);
    const managers = new Map([[manager, this.updateEntry(at, fieldsOf(object))]]);
    return { status: 201, body: this.commit(at, { resource: at.resource, object, managers }, undefined, dryRun) };
  }

  /** PUT: a full replacement that must name the current resourceVersion (custom resources require one). */
  replace(at: ObjectAddress, body: JsonObject, manager: string, dryRun: boolean): WriteResult {
    const previous = this.entry(at);
    if (previous === undefined) throw notFound(at.resource, at.name);
    const version = metadataOf(body).resourceVersion;
    if (typeof version !== "string" || version === "") {
      const message = "Invalid value: 0x0: must be specified for an update";
      throw invalid(at.resource, at.name, [
        { reason: "FieldValueInvalid", field: "metadata.resourceVersion", message },
      ]);
    }
    if (version !== valueAt(previous.object, RESOURCE_VERSION)) throw modifiedConflict(at.resource, at.name);
    return { status: 200, body: this.update(at, body, manager, dryRun, previous) };
  }

  /** `application/merge-patch+json` (RFC 7386); a resourceVersion in the patch is a precondition. */
  mergePatch(at: ObjectAddress, patch: JsonObject, manager: string, dryRun: boolean): WriteResult {
    const previous = this.entry(at);
    if (previous === undefined) throw notFound(at.resource, at.name);
    const merged = mergePatch(this.render(previous), patch);
    if (!isJsonObject(merged)) throw invalid(at.resource, at.name, []);
    if (valueAt(merged, RESOURCE_VERSION) !== valueAt(previous.object, RESOURCE_VERSION)) {
      throw modifiedConflict(at.resource, at.name);
    }
    return { status: 200, body: this.update(at, merged, manager, dryRun, previous) };
  }

  private updateEntry(at: ObjectAddress, fields: Set<string>): ManagerEntry {
    const apiVersion = `${at.resource.group}/${at.resource.version}`;
    return { operation: "Update", apiVersion, time: now(), fields };
  }

  /** An Update operation: the writer takes ownership of the fields it changed, away from every other manager. */
  private update(at: ObjectAddress, body: JsonObject, manager: string, dryRun: boolean, previous: StoredEntry) {
    checkBodyMatchesUrl(at.resource, at.namespace, at.name, body);
    validateObject(at.resource, body, at.name);
    const object = clientObject(body, at);
    const changed = new Set(
      [...fieldsOf(previous.object), ...fieldsOf(object)].filter(
        (f) => !isDeepStrictEqual(valueAt(previous.object, f), valueAt(object, f)),
      ),
    );
    const managers = new Map<string, ManagerEntry>();
    for (const [m, entry] of previous.managers) {
      const fields = new Set([...entry.fields].filter((f) => !changed.has(f)));
      if (fields.size > 0 && m !== manager) managers.set(m, { ...entry, fields });
    }
    const present = fieldsOf(object);
    const mine = [...(previous.managers.get(manager)?.fields ?? []), ...changed].filter((f) => present.has(f));
    managers.set(manager, this.updateEntry(at, new Set(mine)));
    return this.commit(at, { resource: at.resource, object, managers }, previous, dryRun);
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`): `applied` is the manager's whole intent. Creates the
   * object when absent; otherwise checks the resourceVersion precondition and field conflicts, drops the fields
   * the manager set before and no longer sets (unless someone else owns them) and merges the rest in.
   */
  apply(at: ObjectAddress, applied: JsonObject, manager: string, force: boolean, dryRun: boolean): WriteResult {
    if (manager === "") {
      const message = "Required value: is required for apply patch";
      throw invalid(at.resource, at.name, [{ reason: "FieldValueRequired", field: "fieldManager", message }]);
    }
    checkBodyMatchesUrl(at.resource, at.namespace, at.name, applied);
    validateObject(at.resource, applied, at.name);
    const fields = fieldsOf(applied);
    const mine: ManagerEntry = { operation: "Apply", apiVersion: String(applied.apiVersion), time: now(), fields };
    const previous = this.entry(at);
    const precondition = metadataOf(applied).resourceVersion;
    if (previous === undefined) {
      if (typeof precondition === "string" && precondition !== "") throw resourceVersionOnCreate();
      const next = { resource: at.resource, object: clientObject(applied, at), managers: new Map([[manager, mine]]) };
      return { status: 201, body: this.commit(at, next, undefined, dryRun) };
    }
    if (typeof precondition === "string" && precondition !== valueAt(previous.object, RESOURCE_VERSION)) {
      throw modifiedConflict(at.resource, at.name);
    }
    const managers = this.takeOver(previous, applied, manager, force);
    const object = structuredClone(previous.object);
    const ownedByOthers = new Set([...managers].filter(([m]) => m !== manager).flatMap(([, e]) => [...e.fields]));
    for (const f of previous.managers.get(manager)?.fields ?? []) {
      if (!fields.has(f) && !ownedByOthers.has(f)) removeAt(object, f);
    }
    for (const f of fields) setAt(object, f, valueAt(applied, f) ?? null);
    const sameFields = isDeepStrictEqual(previous.managers.get(manager)?.fields, fields);
    // An apply that changes nothing is not a write: kube-apiserver answers it with the same resourceVersion.
    if (sameFields && isDeepStrictEqual(object, previous.object)) return { status: 200, body: this.render(previous) };
    managers.set(manager, mine);
    return { status: 200, body: this.commit(at, { resource: at.resource, object, managers }, previous, dryRun) };
  }

  /** The managers after `manager` applies: 409 on conflicts, or with `force` the conflicting fields move over. */
  private takeOver(previous: StoredEntry, applied: JsonObject, manager: string, force: boolean) {
    const conflicts = findConflicts(previous.object, applied, manager, previous.managers);
    if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
    const managers = new Map<string, ManagerEntry>();
    for (const [m, entry] of previous.managers) {
      const lost = conflicts.filter((c) => c.manager === m).map((c) => c.path);
      const kept = [...entry.fields].filter((f) => !lost.some((path) => overlaps(f, path)));
      managers.set(m, { ...entry, fields: new Set(kept) });
    }
    return managers;
  }

  /** DELETE: a Success Status, as kube-apiserver answers for a custom resource without finalizers. */
  remove(at: ObjectAddress, dryRun: boolean): WriteResult {
    const entry = this.entry(at);
    if (entry === undefined) throw notFound(at.resource, at.name);
    if (!dryRun) {
      this.entries.delete(this.key(at.resource, at.namespace, at.name));
      this.revision++;
    }
    const details = {
      name: at.name,
      group: at.resource.group,
      kind: at.resource.plural,
      uid: metadataOf(entry.object).uid ?? null,
    };
    return { status: 200, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details } };
  }
}
