// Layer 1 of validation (DESIGN §4 "Mesh config"): one raw document against Istio's CRD schema, as the
// kube-apiserver would check it, plus unknown fields, which the apiserver would prune without a word.
//
// Why an embedded schema rather than `@kubernetes-models/istio`: that package's validators are precompiled AJV
// code without the property lists needed to reject unknown fields, it declares Node ≥ 22 (this project runs on
// Node 20), and it would bring AJV into the web bundle. The embedded schema is generated from Istio's own
// crd-all.gen.yaml (1.30.3, newer than the package's 1.29.2) and checked against that file by istio-crd.test.ts.
import type { ValidationMessage } from "@meshscope/model";
import { formatPath } from "../object-shape.js";
import { type ValidationCode, validationMessage } from "./codes.js";
import { type SchemaProblem, type SchemaProblemKind, walkCrdSchema } from "./crd-schema.js";
import { ISTIO_CRD_SCHEMAS } from "./istio-crd-schemas.gen.js";
import { isSchemaKind, OBJECT_META_SCHEMA, SCHEMA_KINDS } from "./istio-kinds.js";

const CODE_OF: Readonly<Record<SchemaProblemKind, ValidationCode>> = {
  "unknown-field": "MS0002",
  type: "MS0003",
  required: "MS0004",
  enum: "MS0005",
  range: "MS0006",
  exclusive: "MS0007",
};

// A document with hundreds of wrong fields is reported by its first few; the rest add nothing for the reader.
const MAX_SCHEMA_MESSAGES = 50;

const TOP_LEVEL = new Set(["apiVersion", "kind", "metadata", "spec", "status"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Findings of one raw parsed YAML document (plain JSON) against Istio's CRD structural schema: an unsupported
 * apiVersion/kind, wrong types, values outside an enum or bound, missing required fields, fields set together
 * that exclude each other, and unknown fields. Paths read like `spec.http[0].rout`. Empty when Istio's apiserver
 * would accept the document's structure (CEL rules and semantics are the semantic layer's).
 */
export function checkIstioSchema(value: unknown): ValidationMessage[] {
  if (!isRecord(value)) {
    return [
      validationMessage("MS0001", "", "a Kubernetes object must be a mapping (apiVersion, kind, metadata, spec)"),
    ];
  }
  const { apiVersion, kind } = value;
  if (!isSchemaKind(kind)) {
    return [validationMessage("MS0001", "kind", `kind must be one of ${SCHEMA_KINDS.join(", ")}; got ${String(kind)}`)];
  }
  const schema = ISTIO_CRD_SCHEMAS[kind];
  const served = schema.versions.map((v) => `${schema.group}/${v}`);
  if (typeof apiVersion !== "string" || !served.includes(apiVersion)) {
    const message = `apiVersion of a ${kind} must be one of ${served.join(", ")}; got ${String(apiVersion)}`;
    return [validationMessage("MS0001", "apiVersion", message)];
  }
  const problems: SchemaProblem[] = [];
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key)) problems.push({ kind: "unknown-field", path: [key], message: `unknown field "${key}"` });
  }
  if (value.metadata === undefined) {
    problems.push({ kind: "required", path: ["metadata"], message: "required field is missing" });
  }
  problems.push(...walkCrdSchema(OBJECT_META_SCHEMA, value.metadata, ["metadata"]));
  for (const name of schema.required) {
    if (value[name] === undefined)
      problems.push({ kind: "required", path: [name], message: "required field is missing" });
  }
  problems.push(...walkCrdSchema(schema.spec, value.spec, ["spec"]));
  return problems.slice(0, MAX_SCHEMA_MESSAGES).map((p) => {
    const path = formatPath(p.path);
    return validationMessage(CODE_OF[p.kind], path, p.message);
  });
}
