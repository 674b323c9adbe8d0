// validateMeshObjects: the schema layer and the semantic layer over a set of objects, checked against each other
// and against what the target already holds (DESIGN §4 "Mesh config").
import type { ValidationMessage } from "@meshscope/model";
import type { MeshObject } from "../objects.js";
import { checkDestinationRule } from "./destination-rule.js";
import { checkDuplicateHosts } from "./duplicate-hosts.js";
import { checkIstioSchema } from "./schema.js";
import type { ObjectValidation, ValidationContext } from "./types.js";
import { buildUniverse, refOf, type Universe } from "./universe.js";
import { checkVirtualService } from "./virtual-service.js";

function semanticFindings(object: MeshObject, universe: Universe): ValidationMessage[] {
  switch (object.kind) {
    case "VirtualService":
      return [...checkVirtualService(object, universe), ...checkDuplicateHosts(object, universe)];
    case "DestinationRule":
      return checkDestinationRule(object, universe);
    default:
      return [];
  }
}

/**
 * Findings for each of `objects` (one entry per object, in input order): Istio's CRD schema, then semantic checks
 * with stable codes (VALIDATION_CODES). An object in `context.existing` with the same kind/namespace/name as a
 * checked one is replaced by it. Checks that need an inventory (`workloads`, `services`) run only when given.
 */
export function validateMeshObjects(
  objects: readonly MeshObject[],
  context: ValidationContext = {},
): ObjectValidation[] {
  const universe = buildUniverse(objects, context);
  return objects.map((object) => ({
    ref: refOf(object),
    messages: [...checkIstioSchema(object), ...semanticFindings(object, universe)],
  }));
}
