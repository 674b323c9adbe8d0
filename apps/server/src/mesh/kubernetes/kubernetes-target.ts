// The `kubernetes` mesh-config target (DESIGN §4 "Mesh config"): Istio objects live in a cluster and are read
// with LIST, written with server-side apply under the field manager `meshscope`, and checked with server dry-run.
//
// Conflicts are never forced by default. Server-side apply refuses (409) to change a field another manager owns
// (someone's `kubectl apply`, a GitOps controller, a hand edit); forcing would silently take those fields over
// and the other tool would fight back at its next sync. As Kiali does for its own writes, Meshscope reports the
// conflict (TargetConflictError, naming the other manager and the fields) and lets a person decide.
// `forceConflicts` exists for clusters where Meshscope is meant to be the owner.
//
// Changes are written one request at a time, in order; Kubernetes has no multi-object transaction, so a failure
// part-way leaves the earlier changes applied. The object store runs `dryRun` first, which catches what the API
// server would refuse before anything is written.
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { ObjectRef } from "@meshscope/model";
import type { Logger } from "../../ops/logger.js";
import {
  type MeshTarget,
  type TargetChange,
  TargetConflictError,
  type TargetListing,
  type TargetProblem,
} from "../target.js";
import { applyBody } from "./cluster-object.js";
import { describeRef, KubernetesTargetError, kubeFailureOf, problemCode } from "./kube-status.js";
import { pollVersions, type VersionPoller } from "./poll-watch.js";
import { readCluster, versionKey } from "./read-cluster.js";
import { resourceForKind } from "./resources.js";

/** The field manager every write is made under (`metadata.managedFields[].manager`). */
export const FIELD_MANAGER = "meshscope";

const DEFAULT_POLL_INTERVAL_MS = 10_000;

export interface KubernetesTargetOptions {
  /** A kubeconfig file; without it (and without `kubeConfig`): $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfigPath?: string;
  /** An already loaded config (tests, embedding); wins over `kubeconfigPath`. */
  kubeConfig?: KubeConfig;
  /** Namespaces to read; empty or absent reads all namespaces (needs cluster-wide list rights). */
  namespaces?: readonly string[];
  /** How often `watch` lists the cluster to notice external edits (default 10 s). */
  pollIntervalMs?: number;
  /** Take over fields other managers own instead of failing with a conflict (default false; see above). */
  forceConflicts?: boolean;
  logger?: Pick<Logger, "warn">;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function loadKubeConfig(options: KubernetesTargetOptions): KubeConfig {
  if (options.kubeConfig !== undefined) return options.kubeConfig;
  const config = new KubeConfig();
  if (options.kubeconfigPath !== undefined) config.loadFromFile(options.kubeconfigPath);
  else config.loadFromDefault();
  return config;
}

function refOf(change: TargetChange): ObjectRef {
  if (change.action === "delete") return change.ref;
  const { kind, metadata } = change.object;
  return { kind, namespace: metadata.namespace, name: metadata.name };
}

/**
 * An apply that carries the resourceVersion it read, for an object that no longer exists: kube-apiserver refuses
 * to create an object with a resourceVersion and says so in an unclassified 500. For the caller this is a
 * conflict like any other: the object changed (here: went away) since it was read.
 */
function wasDeletedSinceRead(change: TargetChange, message: string): boolean {
  return (
    change.action === "upsert" &&
    change.object.metadata.resourceVersion !== undefined &&
    message.includes("resourceVersion should not be set on objects to be created")
  );
}

class KubernetesTarget implements MeshTarget {
  readonly kind = "kubernetes" as const;
  private readonly api: CustomObjectsApi;
  private readonly pollers = new Set<VersionPoller>();
  // client-node serialises the body as JSON and lets this header pick the patch type; JSON is valid apply YAML.
  private readonly applyHeaders = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

  constructor(private readonly options: KubernetesTargetOptions) {
    this.api = loadKubeConfig(options).makeApiClient(CustomObjectsApi);
  }

  async list(): Promise<TargetListing> {
    const { objects, errors } = await readCluster(this.api, this.options.namespaces ?? []);
    return { objects, errors };
  }

  async dryRun(changes: readonly TargetChange[]): Promise<TargetProblem[]> {
    const problems: TargetProblem[] = [];
    for (const change of changes) {
      const problem = await this.dryRunOne(change);
      if (problem !== undefined) problems.push(problem);
    }
    return problems;
  }

  async apply(changes: readonly TargetChange[]): Promise<void> {
    for (const change of changes) await this.applyOne(change);
  }

  watch(onChange: () => void): () => void {
    const poller = pollVersions({
      intervalMs: this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      read: async () => (await readCluster(this.api, this.options.namespaces ?? [])).versions,
      onChange,
      ...(this.options.logger === undefined ? {} : { logger: this.options.logger }),
    });
    this.pollers.add(poller);
    return () => {
      poller.stop();
      this.pollers.delete(poller);
    };
  }

  async close(): Promise<void> {
    for (const poller of this.pollers) poller.stop();
    this.pollers.clear();
  }

  /** One change as one request; answers the object's new resourceVersion (undefined once deleted). */
  private async send(change: TargetChange, dryRunOnly: boolean): Promise<string | undefined> {
    const ref = refOf(change);
    const resource = resourceForKind(ref.kind);
    if (resource === undefined || resource.readOnly) {
      const why = resource === undefined ? "not a kind Meshscope writes" : "read-only for Meshscope";
      throw new KubernetesTargetError(ref, "kube_unsupported_kind", 400, `${describeRef(ref)}: ${ref.kind} is ${why}`);
    }
    const { group, version, plural } = resource;
    const target = { group, version, plural, namespace: ref.namespace, name: ref.name };
    // `dryRun=All` runs every stage (schema, CEL rules, admission webhooks, conflicts) and persists nothing.
    const dryRun = dryRunOnly ? "All" : undefined;
    if (change.action === "delete") {
      await this.api.deleteNamespacedCustomObject({ ...target, dryRun });
      return undefined;
    }
    const body = applyBody(change.object, resource);
    const force = this.options.forceConflicts ?? false;
    const answer: unknown = await this.api.patchNamespacedCustomObject(
      { ...target, body, fieldManager: FIELD_MANAGER, dryRun, force },
      this.applyHeaders,
    );
    const metadata = isRecord(answer) && isRecord(answer.metadata) ? answer.metadata : {};
    return typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : undefined;
  }

  private async dryRunOne(change: TargetChange): Promise<TargetProblem | undefined> {
    const ref = refOf(change);
    try {
      await this.send(change, true);
      return undefined;
    } catch (error) {
      if (error instanceof KubernetesTargetError) return { ref, code: error.code, message: error.message };
      const failure = kubeFailureOf(error);
      // No answer from the API server (unreachable, TLS): not a finding about the object, so thrown.
      if (failure === undefined) throw error;
      // Deleting what is already gone is what the caller wanted.
      if (change.action === "delete" && failure.httpStatus === 404) return undefined;
      if (wasDeletedSinceRead(change, failure.message)) {
        return {
          ref,
          code: "kube_conflict",
          message: `${describeRef(ref)} was deleted in the cluster since it was read`,
        };
      }
      return { ref, code: problemCode(failure), message: failure.message };
    }
  }

  private async applyOne(change: TargetChange): Promise<void> {
    const ref = refOf(change);
    let resourceVersion: string | undefined;
    try {
      resourceVersion = await this.send(change, false);
    } catch (error) {
      const failure = kubeFailureOf(error);
      if (failure === undefined) throw error;
      const alreadyGone = change.action === "delete" && failure.httpStatus === 404;
      if (wasDeletedSinceRead(change, failure.message)) {
        throw new TargetConflictError(ref, `${describeRef(ref)} was deleted in the cluster since it was read`);
      }
      if (!alreadyGone) throw this.writeError(ref, failure.httpStatus, failure.message, problemCode(failure));
    }
    // Tell the pollers this version is ours, so that our own write is not reported as an external edit.
    const key = versionKey(ref.kind, ref.namespace, ref.name);
    for (const poller of this.pollers) poller.noteOwnWrite(key, resourceVersion);
  }

  private writeError(ref: ObjectRef, httpStatus: number, message: string, code: string): Error {
    // 409 is both a stale resourceVersion and a field owned by another manager: either way, changed underneath.
    if (httpStatus === 409)
      return new TargetConflictError(ref, `${describeRef(ref)} changed in the cluster: ${message}`);
    return new KubernetesTargetError(ref, code, httpStatus, `${describeRef(ref)}: ${message}`);
  }
}

/** The Kubernetes target. Loads the kubeconfig now (throws when the file cannot be read); talks to the cluster on use. */
export function createKubernetesTarget(options: KubernetesTargetOptions = {}): MeshTarget {
  return new KubernetesTarget(options);
}
