// mTLS and access control: PeerAuthentication and AuthorizationPolicy for the service's pods (`app=<service>`,
// the label Istio's samples and Kiali select workloads by).
import type { AuthorizationPolicy, AuthorizationRule, MeshObject, PeerAuthentication } from "../objects.js";
import type { AccessControlBody, MtlsBody } from "./body-schemas.js";
import { objectNamed } from "./lookup.js";
import { newMetadata, updatedMetadata } from "./metadata.js";
import { type Built, built, type WizardTarget } from "./target.js";

/**
 * Scope `service`: a PeerAuthentication named after the service selecting its pods; `namespace`: the
 * namespace-wide one, which Istio's docs name `default` and which has no selector. An existing object of that name
 * keeps its metadata and its `portLevelMtls` (service scope only: Istio requires a selector for port-level modes).
 */
export function buildMtls(t: WizardTarget, body: MtlsBody): Built<MeshObject[]> {
  const namespaceWide = body.scope === "namespace";
  const name = namespaceWide ? "default" : t.service;
  const existing = objectNamed(t, "PeerAuthentication", name);
  const portLevelMtls = namespaceWide ? undefined : existing?.spec.portLevelMtls;
  const policy: PeerAuthentication = {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata:
      existing === undefined ? newMetadata(name, t.namespace, t.wizard) : updatedMetadata(existing.metadata, t.wizard),
    spec: {
      ...(namespaceWide ? {} : { selector: { matchLabels: { app: t.service } } }),
      mtls: { mode: body.mode },
      ...(portLevelMtls === undefined ? {} : { portLevelMtls }),
    },
  };
  return built([policy]);
}

/**
 * An AuthorizationPolicy named after the service, replacing an existing one of that name (the wizard owns its
 * rules). Istio evaluates DENY policies before ALLOW ones, and once any ALLOW policy selects a workload, requests
 * matching none of them are denied: the preview says so, the builder writes exactly what was asked.
 */
export function buildAccessControl(t: WizardTarget, body: AccessControlBody): Built<MeshObject[]> {
  const existing = objectNamed(t, "AuthorizationPolicy", t.service);
  const policy: AuthorizationPolicy = {
    apiVersion: "security.istio.io/v1",
    kind: "AuthorizationPolicy",
    metadata:
      existing === undefined
        ? newMetadata(t.service, t.namespace, t.wizard)
        : updatedMetadata(existing.metadata, t.wizard),
    spec: {
      selector: { matchLabels: { app: t.service } },
      action: body.action,
      rules: body.rules.map(toRule),
    },
  };
  return built([policy]);
}

function toRule(rule: AccessControlBody["rules"][number]): AuthorizationRule {
  const out: AuthorizationRule = {};
  if (rule.from !== undefined) out.from = [{ source: { ...rule.from } }];
  if (rule.to !== undefined) out.to = [{ operation: { ...rule.to } }];
  return out;
}
