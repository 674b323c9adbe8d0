// Shared by the wizard tests: Bookinfo's reviews service with its three versions, as the server would describe
// it from traffic, and helpers that run a wizard and throw (failing the test) when it does not do what they expect.

import type { WizardName } from "@meshscope/model";
import type { MeshObject } from "../objects.js";
import { buildWizard } from "./build.js";
import type { KnownVersion, WizardContext } from "./types.js";

export const REVIEWS_VERSIONS: KnownVersion[] = ["v1", "v2", "v3"].map((v) => ({
  version: v,
  labels: { version: v },
}));

export const MANAGED = (wizard: WizardName) => ({
  "app.kubernetes.io/managed-by": "meshscope",
  "meshscope.io/wizard": wizard,
});

export function bookinfo(existing: MeshObject[] = []): WizardContext {
  return { existing, versions: REVIEWS_VERSIONS };
}

export const target = { namespace: "bookinfo", service: "reviews" };

/** The objects `wizard` builds; fails the test with the problems when it refuses. */
export function build(wizard: WizardName, body: object, context: WizardContext = bookinfo()): MeshObject[] {
  const result = buildWizard(wizard, body, context);
  if (!result.ok) throw new Error(`${wizard} refused: ${JSON.stringify(result.problems)}`);
  return result.objects;
}

/** The problems `wizard` reports; fails the test when it builds. */
export function problems(wizard: WizardName, body: unknown, context: WizardContext = bookinfo()) {
  const result = buildWizard(wizard, body, context);
  if (result.ok) throw new Error(`${wizard} built ${JSON.stringify(result.objects)}`);
  return result.problems;
}
