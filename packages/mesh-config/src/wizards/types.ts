/** The contract of the wizard builders (issue #7, DESIGN §5 wizard bodies): pure, body in, Istio objects out. */
import type { MeshObject } from "../objects.js";

/** A version of the service seen in traffic and the pod labels a DestinationRule subset selects it by. */
export interface KnownVersion {
  version: string;
  labels: Record<string, string>;
}

export interface WizardContext {
  /** Every object in the target now (the builder merges into objects it finds for the service's host). */
  existing: readonly MeshObject[];
  versions: readonly KnownVersion[];
}

export type WizardBuild =
  | { ok: true; objects: MeshObject[] }
  | { ok: false; problems: { path: string; message: string }[] };

// Implemented in this folder:
//   buildWizard(name: WizardName, body: unknown, context: WizardContext): WizardBuild
//     objects in apply order (DestinationRules before the VirtualServices that use them).
//   WIZARD_BODY_SCHEMAS: Record<WizardName, z.ZodType>   (WizardName from @meshscope/model)
