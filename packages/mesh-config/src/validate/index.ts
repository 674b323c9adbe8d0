// Validation of Istio objects (issue #7): the CRD schema layer, the semantic layer, and the code table.
export type { ValidationCode, ValidationCodeInfo } from "./codes.js";
export { VALIDATION_CODES } from "./codes.js";
export { checkIstioSchema } from "./schema.js";
export type { KnownService, KnownWorkload, ObjectValidation, ValidationContext } from "./types.js";
export { validateMeshObjects } from "./validate.js";
