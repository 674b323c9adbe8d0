// Errors of the faithful fake API server, as kube-apiserver words them (k8s.io/apimachinery/pkg/api/errors), and
// the checks the Istio CRDs' structural schema and CEL rules make on a write.
import {
  dottedPath,
  durationCauses,
  type FieldCause,
  type FieldConflict,
  isJsonObject,
  type JsonObject,
} from "./fake-kube-fields.testing.js";
import type { IstioResource } from "./resources.js";

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** Absent for errors the API server did not classify (it omits `details` then). */
    readonly details: JsonObject | undefined = {},
  ) {
    super(message);
  }

  /** metav1.Status as kube-apiserver writes it for a failure. */
  toStatus(): JsonObject {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.code,
    };
  }
}

const qualified = (resource: IstioResource) => `${resource.plural}.${resource.group}`;
const objectDetails = (resource: IstioResource, name: string) => ({
  name,
  group: resource.group,
  kind: resource.plural,
});

export const notFoundResource = () =>
  new StatusError(404, "NotFound", "the server could not find the requested resource");

export const notFound = (resource: IstioResource, name: string) =>
  new StatusError(404, "NotFound", `${qualified(resource)} "${name}" not found`, objectDetails(resource, name));

export const alreadyExists = (resource: IstioResource, name: string) =>
  new StatusError(
    409,
    "AlreadyExists",
    `${qualified(resource)} "${name}" already exists`,
    objectDetails(resource, name),
  );

export function modifiedConflict(resource: IstioResource, name: string): StatusError {
  const message =
    `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been ` +
    "modified; please apply your changes to the latest version and try again";
  return new StatusError(409, "Conflict", message, objectDetails(resource, name));
}

export function applyConflict(conflicts: readonly FieldConflict[]): StatusError {
  const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${dottedPath(c.path)}`);
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${lines[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  return new StatusError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: dottedPath(c.path),
    })),
  });
}

export function invalid(resource: IstioResource, name: string, causes: readonly FieldCause[]): StatusError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  return new StatusError(422, "Invalid", `${resource.kind}.${resource.group} "${name}" is invalid: ${joined}`, {
    name,
    group: resource.group,
    kind: resource.kind,
    causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
  });
}

/**
 * An apply that names a resourceVersion for an object that does not exist (any more): the storage layer refuses
 * to create it, and kube-apiserver passes that on unclassified, as a 500 without reason or details.
 */
export const resourceVersionOnCreate = () =>
  new StatusError(500, "", "resourceVersion should not be set on objects to be created", undefined);

export const badRequest = (message: string) => new StatusError(400, "BadRequest", message);

export function forbidden(verb: string, resource: IstioResource, namespace?: string, name?: string): StatusError {
  const where = namespace === undefined ? "at the cluster scope" : `in the namespace "${namespace}"`;
  const subject = name === undefined ? qualified(resource) : `${qualified(resource)} "${name}"`;
  const message =
    `${subject} is forbidden: User "system:serviceaccount:istio-system:meshscope" cannot ${verb} resource ` +
    `"${resource.plural}" in API group "${resource.group}" ${where}`;
  return new StatusError(403, "Forbidden", message, objectDetails(resource, name ?? ""));
}

// metadata.name of a custom resource: a DNS-1123 subdomain.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What the CRD's structural schema and CEL rules reject, as one 422 Invalid listing every cause. */
export function validateObject(resource: IstioResource, object: JsonObject, name: string): void {
  const causes: FieldCause[] = [];
  if (object.kind !== resource.kind) {
    const message = `Invalid value: ${JSON.stringify(object.kind ?? null)}: must be ${resource.kind}`;
    causes.push({ reason: "FieldValueInvalid", field: "kind", message });
  }
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    const message =
      `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case ` +
      "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    causes.push({ reason: "FieldValueInvalid", field: "metadata.name", message });
  }
  // Istio's CRDs list `spec` under `required`.
  if (!isJsonObject(object.spec))
    causes.push({ reason: "FieldValueRequired", field: "spec", message: "Required value" });
  else causes.push(...durationCauses(object.spec, "spec"));
  if (causes.length > 0) throw invalid(resource, name, causes);
}

/** A write's body must name the API version, name and namespace of its URL (400 BadRequest otherwise). */
export function checkBodyMatchesUrl(resource: IstioResource, namespace: string, name: string, body: JsonObject): void {
  const expected = `${resource.group}/${resource.version}`;
  if (body.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  const metadata = isJsonObject(body.metadata) ? body.metadata : {};
  if (metadata.name !== undefined && metadata.name !== name) {
    throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`);
  }
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}
