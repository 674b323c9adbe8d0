/**
 * Mesh objects out of a request body: YAML text (multi-document) or JSON. Both go through the same reader
 * (parseMeshYaml, which checks every field's shape and names the path at fault), since JSON is YAML; anything it
 * cannot read is a 400 that names the document, line and field.
 */
import { type MeshObject, type ParseIssue, parseMeshYaml } from "@meshscope/mesh-config";
import { ApiError } from "../api/errors.js";

function describe(issue: ParseIssue, withLines: boolean): string {
  const where = [
    `document ${issue.document}`,
    ...(withLines && issue.line !== undefined ? [`line ${issue.line}`] : []),
  ];
  return `${where.join(", ")}: ${issue.message}`;
}

/** Every object of a YAML text; 400 `invalid_yaml` when any document cannot be read. */
export function objectsFromYaml(text: string, defaultNamespace?: string): MeshObject[] {
  const parsed = parseMeshYaml(text, {
    source: "request body",
    ...(defaultNamespace === undefined ? {} : { defaultNamespace }),
  });
  if (parsed.errors.length > 0) {
    throw new ApiError(400, "invalid_yaml", parsed.errors.map((e) => describe(e, true)).join("; "));
  }
  return parsed.objects;
}

/** One object given as JSON; 400 `invalid_object` naming the field at fault (`what` says which object). */
export function objectFromJson(value: unknown, what: string, defaultNamespace?: string): MeshObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError(400, "invalid_object", `${what}: expected an Istio object (apiVersion, kind, metadata, spec)`);
  }
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    // JSON.parse takes any depth, JSON.stringify recurses: a body nested some 10,000 levels deep overflows it.
    if (!(e instanceof RangeError)) throw e;
    throw new ApiError(400, "invalid_object", `${what}: nested too deeply`);
  }
  const parsed = parseMeshYaml(text, {
    source: what,
    ...(defaultNamespace === undefined ? {} : { defaultNamespace }),
  });
  const [object] = parsed.objects;
  if (parsed.errors.length > 0 || object === undefined) {
    const why = parsed.errors.map((e) => e.message).join("; ") || "not an Istio object";
    throw new ApiError(400, "invalid_object", `${what}: ${why}`);
  }
  return object;
}
