// Versions → DestinationRule subsets. A route to a subset no DestinationRule defines fails with 503 NC
// (istio.md §6 #1), so every wizard that routes by version also writes (or extends) the service's
// DestinationRule, and the caller applies it before the VirtualService (make-before-break, §6 #3).
import type { DestinationRule, Subset } from "../objects.js";
import { serviceDestinationRule } from "./lookup.js";
import { newMetadata, updatedMetadata } from "./metadata.js";
import { type Built, built, failed, type Problem, type WizardTarget } from "./target.js";
import type { KnownVersion } from "./types.js";

/** A version the body names, and where it names it (for the problem's path). */
export interface VersionUse {
  version: string;
  path: string;
}

export interface SubsetPlan {
  /** The subset name to route to, per version the body names. */
  subsetOf: ReadonlyMap<string, string>;
  /** The DestinationRule to write, or none when the existing one already has every subset. */
  destinationRule: DestinationRule | undefined;
}

/**
 * The subsets for `uses`: an existing subset of that name, or one with the same pod labels (Istio's Bookinfo
 * `destination-rule-all.yaml` names them `v1`, `v2`, `v3`), or a new subset with the version's labels. A version
 * that is neither known from traffic nor defined in the DestinationRule is a problem.
 */
export function planSubsets(t: WizardTarget, uses: readonly VersionUse[]): Built<SubsetPlan> {
  const existing = serviceDestinationRule(t);
  const subsets = [...(existing?.spec.subsets ?? [])];
  const added: Subset[] = [];
  const subsetOf = new Map<string, string>();
  const problems: Problem[] = [];
  for (const use of uses) {
    if (subsetOf.has(use.version)) continue;
    const known = t.context.versions.find((v) => v.version === use.version);
    const found = subsets.find((s) => s.name === use.version) ?? subsets.find((s) => sameLabels(s, known));
    if (found !== undefined) {
      subsetOf.set(use.version, found.name);
    } else if (known !== undefined) {
      const subset = newSubset(known);
      subsets.push(subset);
      added.push(subset);
      subsetOf.set(use.version, subset.name);
    } else {
      problems.push({ path: use.path, message: unknownVersion(t, use.version, subsets) });
    }
  }
  if (problems.length > 0) return failed(...problems);
  return built({ subsetOf, destinationRule: added.length === 0 ? undefined : withAdded(t, existing, added) });
}

function withAdded(t: WizardTarget, existing: DestinationRule | undefined, added: Subset[]): DestinationRule {
  if (existing !== undefined) {
    return {
      ...existing,
      metadata: updatedMetadata(existing.metadata, t.wizard),
      spec: { ...existing.spec, subsets: [...(existing.spec.subsets ?? []), ...added] },
    };
  }
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: newMetadata(t.service, t.namespace, t.wizard),
    spec: { host: t.service, subsets: added },
  };
}

function newSubset(known: KnownVersion): Subset {
  // Pods without labels cannot be selected by anything but `version`, which is what Bookinfo and Kiali use.
  const labels = Object.keys(known.labels).length > 0 ? { ...known.labels } : { version: known.version };
  return { name: subsetName(known.version), labels };
}

// Subset names must be DNS-1123 labels (Istio's webhook); version label values may hold dots or capitals (`1.0`).
function subsetName(version: string): string {
  const name = version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
  return name === "" ? "default" : name;
}

function sameLabels(subset: Subset, known: KnownVersion | undefined): boolean {
  if (known === undefined || subset.labels === undefined) return false;
  const a = Object.entries(subset.labels);
  return a.length > 0 && a.length === Object.keys(known.labels).length && a.every(([k, v]) => known.labels[k] === v);
}

function unknownVersion(t: WizardTarget, version: string, subsets: readonly Subset[]): string {
  const names = [...new Set([...t.context.versions.map((v) => v.version), ...subsets.map((s) => s.name)])];
  const known = names.length === 0 ? "no versions are known" : `known versions: ${names.join(", ")}`;
  return `${t.service} has no version "${version}" (${known})`;
}
