/**
 * The target selected by `--mesh-target` (DESIGN §4): the `files` directory by default, or a Kubernetes cluster.
 * The Kubernetes client is loaded only when that target is chosen: it is a large module most runs never need.
 */
import type { MeshTargetKind } from "@meshscope/model";
import type { Logger } from "../ops/logger.js";
import { createFilesTarget } from "./files-target.js";
import type { MeshTarget } from "./target.js";

export interface MeshTargetConfig {
  meshTarget: MeshTargetKind;
  meshConfigDir: string;
  /** A kubeconfig file; null: $KUBECONFIG, ~/.kube/config, then the in-cluster service account. */
  kubeconfig: string | null;
}

export async function createMeshTarget(config: MeshTargetConfig, logger: Logger): Promise<MeshTarget> {
  if (config.meshTarget === "files") return createFilesTarget({ dir: config.meshConfigDir });
  const { createKubernetesTarget } = await import("./kubernetes/index.js");
  return createKubernetesTarget({
    ...(config.kubeconfig === null ? {} : { kubeconfigPath: config.kubeconfig }),
    logger: logger.child({ component: "kubernetes-target" }),
  });
}
