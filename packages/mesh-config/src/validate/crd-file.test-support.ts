// Reading Istio's CRD file (crd-all.gen.yaml) for the conformance tests and for regenerating the embedded
// schemas. Test support: the package build leaves `*.test-support.ts` out.
import { parseAllDocuments } from "yaml";
import { type CrdSchema, compactCrdSchema } from "./crd-schema.js";
import type { IstioKindSchema, SchemaKind } from "./istio-kinds.js";

export interface CrdVersion {
  name: string;
  /** The whole openAPIV3Schema of the version, as written in the file (descriptions, CEL and all). */
  raw: Record<string, unknown>;
}

export interface CrdKind {
  kind: string;
  group: string;
  versions: CrdVersion[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every CustomResourceDefinition in the text, with the raw schema of each served version. */
export function readCrdFile(text: string): CrdKind[] {
  const kinds: CrdKind[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value: unknown = doc.toJS();
    if (!isRecord(value) || value.kind !== "CustomResourceDefinition" || !isRecord(value.spec)) continue;
    const { names, group, versions } = value.spec;
    if (!isRecord(names) || typeof names.kind !== "string" || typeof group !== "string") continue;
    if (!Array.isArray(versions)) continue;
    const read: CrdVersion[] = [];
    for (const v of versions) {
      if (!isRecord(v) || typeof v.name !== "string" || v.served === false) continue;
      const raw = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
      if (isRecord(raw)) read.push({ name: v.name, raw });
    }
    kinds.push({ kind: names.kind, group, versions: read });
  }
  return kinds;
}

/** The embedded form of one kind: the compact spec schema, the same for every version (or an error). */
export function embeddedFormOf(crd: CrdKind): IstioKindSchema {
  const forms = crd.versions.map((v) => {
    const properties = isRecord(v.raw.properties) ? v.raw.properties : {};
    const required = Array.isArray(v.raw.required) ? v.raw.required.filter((r) => typeof r === "string") : [];
    return { required, spec: compactCrdSchema(properties.spec, `${crd.kind}.${v.name}.spec`) };
  });
  const [first] = forms;
  if (first === undefined) throw new Error(`${crd.kind}: no served version`);
  for (const f of forms) {
    if (JSON.stringify(f) !== JSON.stringify(first)) throw new Error(`${crd.kind}: versions differ in schema`);
  }
  return { group: crd.group, versions: crd.versions.map((v) => v.name).sort(), ...first };
}

/** The embedded schemas for the kinds Meshscope reads, from a CRD file. */
export function embeddedSchemasFrom(kinds: readonly CrdKind[]): Record<SchemaKind, IstioKindSchema> {
  const form = (kind: SchemaKind): IstioKindSchema => {
    const crd = kinds.find((k) => k.kind === kind);
    if (crd === undefined) throw new Error(`the CRD file has no ${kind}`);
    return embeddedFormOf(crd);
  };
  return {
    VirtualService: form("VirtualService"),
    DestinationRule: form("DestinationRule"),
    Gateway: form("Gateway"),
    ServiceEntry: form("ServiceEntry"),
    Sidecar: form("Sidecar"),
    EnvoyFilter: form("EnvoyFilter"),
    PeerAuthentication: form("PeerAuthentication"),
    AuthorizationPolicy: form("AuthorizationPolicy"),
  };
}

/** TypeScript source of istio-crd-schemas.gen.ts for `schemas`. */
export function renderSchemasModule(schemas: Record<SchemaKind, IstioKindSchema>, source: string): string {
  return [
    `// GENERATED from Istio's ${source}`,
    "// (Apache-2.0, Istio Authors): the structural schema of `spec` per kind, descriptions and CEL rules dropped.",
    "// Regenerate: UPDATE_ISTIO_CRD_SCHEMAS=1 npx vitest run --project mesh-config istio-crd",
    "// Do not edit by hand; istio-crd.test.ts fails when this file and the CRD file disagree.",
    'import type { IstioKindSchema, SchemaKind } from "./istio-kinds.js";',
    "",
    `export const ISTIO_CRD_SCHEMAS: Readonly<Record<SchemaKind, IstioKindSchema>> = ${JSON.stringify(schemas)};`,
    "",
  ].join("\n");
}

export type { CrdSchema };
