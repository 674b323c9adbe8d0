/**
 * The mesh-config part of the HTTP API (DESIGN §5): objects, validation, wizards, revisions and the
 * configured-vs-observed view. Istio objects travel as their JSON form (`apiVersion`, `kind`, `metadata`, `spec`),
 * typed in `@meshscope/mesh-config`; here they are plain records so the model package stays free of Istio types.
 */
import { z } from "zod";

/** An Istio object as JSON (`apiVersion`, `kind`, `metadata`, `spec`). */
export const IstioObjectJson = z.record(z.string(), z.unknown());
export type IstioObjectJson = z.infer<typeof IstioObjectJson>;

export const ValidationSeverity = z.enum(["error", "warning", "info"]);
export type ValidationSeverity = z.infer<typeof ValidationSeverity>;

/** One finding. `code` is stable (KIA-style, e.g. `MS0101`) and `path` is a JSON-path-like `spec.http[1].route[0]`. */
export const ValidationMessage = z.object({
  severity: ValidationSeverity,
  code: z.string(),
  message: z.string(),
  path: z.string(),
});
export type ValidationMessage = z.infer<typeof ValidationMessage>;

export const ObjectRef = z.object({ kind: z.string(), namespace: z.string(), name: z.string() });
export type ObjectRef = z.infer<typeof ObjectRef>;

export const MeshTargetKind = z.enum(["files", "kubernetes"]);
export type MeshTargetKind = z.infer<typeof MeshTargetKind>;

/** Label every object a wizard writes carries (`app.kubernetes.io/managed-by: meshscope`), plus the wizard's name. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "meshscope";
export const WIZARD_LABEL = "meshscope.io/wizard";

export const MeshObjectEntry = z.object({
  ref: ObjectRef,
  object: IstioObjectJson,
  /** The object as YAML (one document). */
  yaml: z.string(),
  /** Where it lives: a path relative to the config directory (files target) or `kubernetes`. */
  source: z.string(),
  /** True when labelled managed-by meshscope. */
  managed: z.boolean(),
  wizard: z.string().nullable(),
  validation: z.array(ValidationMessage),
});
export type MeshObjectEntry = z.infer<typeof MeshObjectEntry>;

/** A hand-edited file the target could not read; reported, never fatal. */
export const MeshFileError = z.object({ source: z.string(), message: z.string(), line: z.number().nullable() });
export type MeshFileError = z.infer<typeof MeshFileError>;

/** `GET /api/mesh/objects?namespace=&kind=` */
export const MeshObjectsResponse = z.object({
  target: MeshTargetKind,
  objects: z.array(MeshObjectEntry),
  fileErrors: z.array(MeshFileError),
});
export type MeshObjectsResponse = z.infer<typeof MeshObjectsResponse>;

/** `POST /api/mesh/validate` */
export const ValidateResponse = z.object({
  results: z.array(z.object({ object: ObjectRef, validation: z.array(ValidationMessage) })),
});
export type ValidateResponse = z.infer<typeof ValidateResponse>;

export const WIZARDS = [
  "traffic-shifting",
  "request-routing",
  "fault-injection",
  "timeouts-retries",
  "circuit-breaker",
  "mirroring",
  "rate-limit",
  "mtls",
  "access-control",
] as const;
export const WizardName = z.enum(WIZARDS);
export type WizardName = z.infer<typeof WizardName>;

export const ChangeAction = z.enum(["create", "update", "delete"]);
export type ChangeAction = z.infer<typeof ChangeAction>;

/** One object's change in a wizard preview or a revision: YAML before and after (null when absent). */
export const ObjectChange = z.object({
  ref: ObjectRef,
  action: ChangeAction,
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** True when the object exists and was not written by Meshscope: applying needs `confirmOverwrite: true`. */
  unmanaged: z.boolean(),
});
export type ObjectChange = z.infer<typeof ObjectChange>;

/**
 * `POST /api/mesh/wizards/{wizard}?dryRun=true|false`. Apply (no dryRun) answers 409 `overwrite_unmanaged` when a
 * change touches an object Meshscope did not create and the body lacks `"confirmOverwrite": true`; 422
 * `invalid_config` when validation finds errors (the body carries the same fields as a preview).
 */
export const WizardResponse = z.object({
  objects: z.array(IstioObjectJson),
  yaml: z.string(),
  /** Unified diff of the target's current objects against the wizard's, all files in one text. */
  diff: z.string(),
  changes: z.array(ObjectChange),
  validation: z.array(ValidationMessage.extend({ object: ObjectRef.optional() })),
  applied: z.boolean(),
  revision: z.number().nullable(),
});
export type WizardResponse = z.infer<typeof WizardResponse>;

export const RevisionSummary = z.object({
  id: z.number(),
  /** µs since the epoch. */
  time: z.number(),
  author: z.string(),
  message: z.string(),
  wizard: z.string().nullable(),
  /** The revision this one rolled back to, when it is a rollback. */
  rollbackOf: z.number().nullable(),
  objects: z.array(z.object({ ref: ObjectRef, action: ChangeAction })),
});
export type RevisionSummary = z.infer<typeof RevisionSummary>;

/** `GET /api/mesh/revisions` (newest first) */
export const RevisionsResponse = z.object({ revisions: z.array(RevisionSummary) });
export type RevisionsResponse = z.infer<typeof RevisionsResponse>;

/** `GET /api/mesh/revisions/{id}`; `POST /api/mesh/revisions/{id}/rollback` answers the new revision in this shape. */
export const RevisionDetail = RevisionSummary.extend({ changes: z.array(ObjectChange), diff: z.string() });
export type RevisionDetail = z.infer<typeof RevisionDetail>;

/**
 * `GET /api/mesh/observed?namespace=&service=&window=<s>`: what the config says next to what the metrics show for
 * requests into the service (source-reported where there is a client proxy, as the graph does).
 */
export const ConfiguredVsObserved = z.object({
  namespace: z.string(),
  service: z.string(),
  window: z.object({ start: z.number(), end: z.number() }),
  rps: z.number(),
  /** Per destination version: configured weight (share 0–100, normalised) and observed share of requests (0–100). */
  versions: z.array(
    z.object({
      version: z.string(),
      configuredWeight: z.number().nullable(),
      observedShare: z.number(),
      rps: z.number(),
    }),
  ),
  /** Configured fault percentages (0–100, null when none) and observed shares of requests flagged FI / DI (0–100). */
  fault: z.object({
    configuredAbortPercent: z.number().nullable(),
    configuredDelayPercent: z.number().nullable(),
    observedAbortShare: z.number(),
    observedDelayShare: z.number(),
  }),
  circuitBreaker: z.object({
    configured: z.boolean(),
    maxConnections: z.number().nullable(),
    http1MaxPendingRequests: z.number().nullable(),
    consecutive5xxErrors: z.number().nullable(),
    /** Requests/s rejected by the breaker (UO) or for no healthy upstream (UH). */
    observedUoRps: z.number(),
    observedUhRps: z.number(),
  }),
});
export type ConfiguredVsObserved = z.infer<typeof ConfiguredVsObserved>;

/** Node badges the graph carries (Kiali's set, kiali.md §1.2); the web draws them as VS/RR/TS/FI/CB/TO/MI. */
export const GRAPH_BADGES = [
  "virtualService",
  "requestRouting",
  "trafficShifting",
  "faultInjection",
  "circuitBreaker",
  "requestTimeout",
  "mirroring",
] as const;
export type GraphBadge = (typeof GRAPH_BADGES)[number];
