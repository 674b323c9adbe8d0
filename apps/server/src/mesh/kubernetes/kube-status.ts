// Failures from the Kubernetes API server, read from the `kind: Status` body it sends with every error
// (k8s.io/apimachinery metav1.Status), and turned into what the MeshTarget contract speaks: problem codes for
// dry-run, TargetConflictError for 409s, and a typed error for the rest.
import { ApiException } from "@kubernetes/client-node";
import type { ObjectRef } from "@meshscope/model";

export interface KubeFailure {
  /** HTTP status of the answer. */
  httpStatus: number;
  /** `Status.reason` (`Invalid`, `Conflict`, `NotFound`, `Forbidden`, ...), or "" when the body had none. */
  reason: string;
  /** `Status.message`, the sentence the API server wrote for people; a generic one when the body had none. */
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The Status body as the client hands it over: a JSON string (client-node 1.x does not parse error bodies). */
function readStatus(body: unknown): { reason: string; message: string } | undefined {
  let value: unknown = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value) || value.kind !== "Status") return undefined;
  return {
    reason: typeof value.reason === "string" ? value.reason : "",
    message: typeof value.message === "string" ? value.message : "",
  };
}

/** The API server's answer behind a failed call, or undefined when the call never got one (network, TLS, auth). */
export function kubeFailureOf(error: unknown): KubeFailure | undefined {
  if (!(error instanceof ApiException)) return undefined;
  const httpStatus = typeof error.code === "number" ? error.code : 0;
  const status = readStatus(error.body);
  return {
    httpStatus,
    reason: status?.reason ?? "",
    message: status?.message || `the Kubernetes API server answered HTTP ${httpStatus}`,
  };
}

/**
 * Stable problem codes for dry-run findings and errors. 400 and 422 both mean "this object is not acceptable"
 * (422 Invalid for schema/admission failures, 400 BadRequest for a body that does not match the URL).
 */
export function problemCode(failure: KubeFailure): string {
  switch (failure.httpStatus) {
    case 400:
    case 422:
      return "kube_invalid";
    case 401:
      return "kube_unauthorized";
    case 403:
      return "kube_forbidden";
    case 404:
      return "kube_not_found";
    case 409:
      return "kube_conflict";
    default:
      return "kube_error";
  }
}

/** A refusal by the API server other than a conflict: carries the problem code and HTTP status for the caller. */
export class KubernetesTargetError extends Error {
  constructor(
    readonly ref: ObjectRef,
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = "KubernetesTargetError";
  }
}

/** `VirtualService bookinfo/reviews`, the way errors name an object. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}
