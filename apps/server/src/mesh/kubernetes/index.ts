// The Kubernetes mesh-config target: what the rest of the server may use from this folder.

export { KubernetesTargetError } from "./kube-status.js";
export { createKubernetesTarget, FIELD_MANAGER, type KubernetesTargetOptions } from "./kubernetes-target.js";
