// Who owns an object: every object a wizard writes carries `app.kubernetes.io/managed-by: meshscope` (the
// Kubernetes recommended label) and `meshscope.io/wizard: <the latest wizard that wrote it>`.
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, WIZARD_LABEL, WIZARDS, type WizardName } from "@meshscope/model";
import type { MeshObject, ObjectMeta } from "../objects.js";

/** True when Meshscope wrote the object (a wizard or a managed edit), so updating it needs no confirmation. */
export function isManaged(object: Pick<MeshObject, "metadata">): boolean {
  return object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** The wizard that last wrote a managed object, or null (not managed, or a label this version does not know). */
export function wizardOf(object: Pick<MeshObject, "metadata">): WizardName | null {
  if (!isManaged(object)) return null;
  const label = object.metadata.labels?.[WIZARD_LABEL];
  return WIZARDS.find((w) => w === label) ?? null;
}

/** Metadata of a new object written by `wizard`. */
export function newMetadata(name: string, namespace: string, wizard: WizardName): ObjectMeta {
  return { name, namespace, labels: wizardLabels(wizard) };
}

/**
 * Metadata of an existing object after `wizard` updates it: everything kept (resourceVersion for optimistic
 * concurrency, other people's labels and annotations), the ownership labels set.
 */
export function updatedMetadata(existing: ObjectMeta, wizard: WizardName): ObjectMeta {
  return { ...existing, labels: { ...existing.labels, ...wizardLabels(wizard) } };
}

function wizardLabels(wizard: WizardName): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [WIZARD_LABEL]: wizard };
}
