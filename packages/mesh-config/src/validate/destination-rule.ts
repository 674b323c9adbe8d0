// Semantic checks of one DestinationRule (Kiali's destinationrules checkers; istio.md §4.2 and §6 #2, #8).
import type { ValidationMessage } from "@meshscope/model";
import { toFqdn } from "../hosts.js";
import type { DestinationRule, MtlsMode, PeerAuthentication } from "../objects.js";
import { validationMessage } from "./codes.js";
import { checkDurations, checkPercent, isRecord, items, read } from "./fields.js";
import type { KnownWorkload } from "./types.js";
import { clusterService, hostIsKnown, type Universe } from "./universe.js";

// Relative to one traffic policy (host level, subset level, or a port-level setting).
const POLICY_DURATIONS = [
  "connectionPool.tcp.connectTimeout",
  "connectionPool.tcp.idleTimeout",
  "connectionPool.tcp.maxConnectionDuration",
  "connectionPool.tcp.tcpKeepalive.time",
  "connectionPool.tcp.tcpKeepalive.interval",
  "connectionPool.http.idleTimeout",
  "outlierDetection.interval",
  "outlierDetection.baseEjectionTime",
];
const POLICY_PERCENTS = ["outlierDetection.maxEjectionPercent", "outlierDetection.minHealthPercent"];

// Istio's default root namespace: a selector-less PeerAuthentication there is mesh-wide.
const ROOT_NAMESPACE = "istio-system";

interface PolicyAt {
  policy: unknown;
  path: string;
  /** Labels of the subset the policy belongs to; empty at host level. */
  subsetLabels: Record<string, string>;
}

export function checkDestinationRule(dr: DestinationRule, universe: Universe): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  if (hostIsKnown(dr.spec.host, dr.metadata.namespace, universe) === false) {
    const message = `host "${dr.spec.host}" is not a known service or ServiceEntry host`;
    messages.push(validationMessage("MS0203", "spec.host", message));
  }
  for (const { policy, path, subsetLabels } of policiesOf(dr)) {
    messages.push(...checkDurations(policy, path, POLICY_DURATIONS));
    for (const field of POLICY_PERCENTS) {
      messages.push(...checkPercent(read(policy, ...field.split(".")), `${path}.${field}`));
    }
    messages.push(...checkTlsAgainstMtls(dr, policy, path, subsetLabels, universe));
  }
  messages.push(...checkSubsetLabels(dr, universe.context.workloads));
  return messages;
}

function policiesOf(dr: DestinationRule): PolicyAt[] {
  const out: PolicyAt[] = [];
  const add = (policy: unknown, path: string, subsetLabels: Record<string, string>) => {
    if (!isRecord(policy)) return;
    out.push({ policy, path, subsetLabels });
    items(policy.portLevelSettings).forEach((p, j) => {
      if (isRecord(p)) out.push({ policy: p, path: `${path}.portLevelSettings[${j}]`, subsetLabels });
    });
  };
  add(dr.spec.trafficPolicy, "spec.trafficPolicy", {});
  (dr.spec.subsets ?? []).forEach((s, i) => {
    add(s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`, s.labels ?? {});
  });
  return out;
}

function includesLabels(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/**
 * Workloads of service `name` in `namespace` by its pods' labels. Services select pods by labels Meshscope does
 * not see, so the convention Istio relies on stands in: pods of service `reviews` carry `app: reviews`. When no
 * workload of the namespace carries the service's app label, every workload of the namespace is a candidate.
 */
function workloadsOf(name: string, namespace: string, workloads: readonly KnownWorkload[]): KnownWorkload[] {
  const inNamespace = workloads.filter((w) => w.namespace === namespace);
  const byApp = inNamespace.filter((w) => w.labels.app === name);
  return byApp.length > 0 ? byApp : inNamespace;
}

function checkSubsetLabels(dr: DestinationRule, workloads: readonly KnownWorkload[] | undefined): ValidationMessage[] {
  const svc = clusterService(toFqdn(dr.spec.host, dr.metadata.namespace));
  if (workloads === undefined || svc === undefined) return [];
  const candidates = workloadsOf(svc.name, svc.namespace, workloads);
  return (dr.spec.subsets ?? []).flatMap((subset, i) => {
    const labels = subset.labels ?? {};
    if (Object.keys(labels).length === 0 || candidates.some((w) => includesLabels(w.labels, labels))) return [];
    const wanted = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const message = `subset "${subset.name}" selects ${wanted}, which no known workload of ${svc.name}.${svc.namespace} carries`;
    return [validationMessage("MS0201", `spec.subsets[${i}].labels`, message)];
  });
}

function modeOf(pa: PeerAuthentication): MtlsMode | undefined {
  const mode = pa.spec.mtls?.mode;
  return mode === undefined || mode === "UNSET" ? undefined : mode;
}

function hasSelector(pa: PeerAuthentication): boolean {
  return Object.keys(pa.spec.selector?.matchLabels ?? {}).length > 0;
}

/** The PeerAuthentication that decides mTLS for pods with `labels` in `namespace` (workload > namespace > mesh). */
function governingPeerAuthentication(
  labels: Record<string, string>,
  namespace: string,
  all: readonly PeerAuthentication[],
): PeerAuthentication | undefined {
  const set = all.filter((pa) => modeOf(pa) !== undefined);
  const workload = set.filter(
    (pa) =>
      pa.metadata.namespace === namespace &&
      hasSelector(pa) &&
      includesLabels(labels, pa.spec.selector?.matchLabels ?? {}),
  );
  // Two workload-level policies for one pod are undefined behaviour in Istio; the strictest is assumed.
  const strictFirst = (pas: PeerAuthentication[]) => pas.find((pa) => modeOf(pa) === "STRICT") ?? pas[0];
  return (
    strictFirst(workload) ??
    strictFirst(set.filter((pa) => pa.metadata.namespace === namespace && !hasSelector(pa))) ??
    strictFirst(set.filter((pa) => pa.metadata.namespace === ROOT_NAMESPACE && !hasSelector(pa)))
  );
}

function checkTlsAgainstMtls(
  dr: DestinationRule,
  policy: unknown,
  path: string,
  subsetLabels: Record<string, string>,
  universe: Universe,
): ValidationMessage[] {
  const mode = read(policy, "tls", "mode");
  if (mode !== "DISABLE" && mode !== "SIMPLE") return [];
  const svc = clusterService(toFqdn(dr.spec.host, dr.metadata.namespace));
  if (svc === undefined) return [];
  const { workloads } = universe.context;
  // Without an inventory, the pods are assumed to carry the app label of their service and the subset's labels.
  const podLabels =
    workloads === undefined
      ? [{ app: svc.name, ...subsetLabels }]
      : workloadsOf(svc.name, svc.namespace, workloads)
          .map((w) => w.labels)
          .filter((l) => includesLabels(l, subsetLabels));
  const strict = podLabels
    .map((labels) => governingPeerAuthentication(labels, svc.namespace, universe.peerAuthentications))
    .find((pa) => pa !== undefined && modeOf(pa) === "STRICT");
  if (strict === undefined) return [];
  const scope = hasSelector(strict)
    ? "its workloads"
    : strict.metadata.namespace === ROOT_NAMESPACE && svc.namespace !== ROOT_NAMESPACE
      ? "the whole mesh"
      : `namespace ${svc.namespace}`;
  const message = `tls mode ${mode} sends plaintext or non-Istio TLS, but PeerAuthentication ${strict.metadata.namespace}/${strict.metadata.name} requires STRICT mTLS for ${scope}: requests will fail (503)`;
  return [validationMessage("MS0202", `${path}.tls.mode`, message)];
}
