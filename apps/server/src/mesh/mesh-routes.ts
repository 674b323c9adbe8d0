/**
 * `/api/mesh/*` (DESIGN §5): thin handlers that parse the request, call MeshService and answer the model's shapes.
 * Every mutating route is in mutating-routes.ts and passes `requireMutationAllowed` first.
 *
 * Bodies: YAML (`application/yaml`, `application/x-yaml`, `text/yaml`, multi-document) or JSON, at most 1 MiB
 * (an Istio object is a few KiB); too large → 413, unreadable → 400 naming the problem, another type → 415.
 */
import { type ConfiguredVsObserved, WIZARDS, WizardName } from "@meshscope/model";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import { z } from "zod";
import { ApiError, parseOr400, sendApiError } from "../api/errors.js";
import { isSafeRef } from "./config-dir-scan.js";
import { objectFromJson, objectsFromYaml } from "./mesh-body.js";
import { MeshRefusal } from "./mesh-refusal.js";
import type { MeshService } from "./mesh-service.js";
import { MUTATING_ROUTES, requireMutationAllowed } from "./mutating-routes.js";
import { formatRef, kindFromPath, MESH_OBJECT_KINDS, refOf, sameRef } from "./object-ref.js";
import { requestActor } from "./request-actor.js";

export interface MeshRouteDeps {
  service: MeshService;
  nowUs: () => number;
  /** Largest request body (default 1 MiB). */
  maxBodyBytes?: number;
}

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const flag = z.enum(["true", "false"]).transform((v) => v === "true");
const ChangeQuery = z.object({ confirmOverwrite: flag.optional(), message: z.string().max(1000).optional() });
const ObjectsQuery = z.object({ namespace: z.string().optional(), kind: z.string().optional() });
const RevisionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });
const RevisionId = z.coerce.number().int().positive();
/** A rollback target: a revision, or 0 for "before the first revision" (so the first change can be undone too). */
const RollbackTarget = z.coerce.number().int().nonnegative();
const WizardQuery = z.object({ dryRun: flag.default(false) });
const ObservedQuery = z.object({
  namespace: z.string().min(1),
  service: z.string().min(1),
  /** Seconds, like /api/graph; a minute by default: recent enough to watch a canary converge. */
  window: z.coerce.number().int().min(1).max(86_400).default(60),
  end: z.coerce.number().int().positive().optional(),
});
const ValidateJson = z.object({ objects: z.array(z.unknown()).max(1000) });
const JsonObject = z.record(z.string(), z.unknown());
const RollbackBody = z.object({ confirmOverwrite: z.boolean().optional(), message: z.string().max(1000).optional() });

function kindOr400(text: string) {
  const kind = kindFromPath(text);
  if (kind === null)
    throw new ApiError(400, "invalid_request", `unknown kind "${text}" (known: ${MESH_OBJECT_KINDS.join(", ")})`);
  return kind;
}

function refOr400(req: Request) {
  const { kind, namespace, name } = z
    .object({ kind: z.string(), namespace: z.string(), name: z.string() })
    .parse(req.params);
  const ref = { kind: kindOr400(kind), namespace, name };
  if (!isSafeRef(ref))
    throw new ApiError(400, "invalid_request", `${formatRef(ref)}: not a valid Kubernetes namespace and name`);
  return ref;
}

function requireBody(req: Request): unknown {
  if (req.body === undefined) {
    throw new ApiError(415, "unsupported_media_type", `expected a body of type application/json or ${YAML_TYPES[0]}`);
  }
  return req.body;
}

function sendRefusal(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (!(error instanceof MeshRefusal) || res.headersSent) {
    next(error);
    return;
  }
  res.status(error.status).json({ ...error.details, error: { code: error.code, message: error.message } });
}

export function meshRouter(deps: MeshRouteDeps): Router {
  const router = Router();
  const limit = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodies = [express.json({ limit }), express.text({ limit, type: YAML_TYPES })];
  const service = deps.service;
  for (const [method, path] of MUTATING_ROUTES) router[method](path, requireMutationAllowed);

  router.get("/mesh/objects", async (req, res) => {
    const q = parseOr400(ObjectsQuery, req.query);
    const kind = q.kind === undefined ? undefined : kindOr400(q.kind);
    res.json(await service.objects({ ...(q.namespace ? { namespace: q.namespace } : {}), ...(kind ? { kind } : {}) }));
  });

  router.get("/mesh/objects/:kind/:namespace/:name", async (req, res) => {
    const ref = refOr400(req);
    const entry = await service.object(ref);
    if (entry === null) sendApiError(res, 404, "not_found", `no ${formatRef(ref)}`);
    else res.json(entry);
  });

  router.put("/mesh/objects/:kind/:namespace/:name", ...bodies, async (req, res) => {
    const ref = refOr400(req);
    const q = parseOr400(ChangeQuery, req.query);
    const body = requireBody(req);
    const objects =
      typeof body === "string"
        ? objectsFromYaml(body, ref.namespace)
        : [objectFromJson(body, "request body", ref.namespace)];
    const [object] = objects;
    if (objects.length !== 1 || object === undefined) {
      throw new ApiError(400, "invalid_request", `expected exactly one object in the body, found ${objects.length}`);
    }
    if (!sameRef(refOf(object), ref)) {
      throw new ApiError(
        400,
        "invalid_request",
        `the body holds ${formatRef(refOf(object))} but the URL names ${formatRef(ref)}`,
      );
    }
    res.json(await service.put(object, changeOptions(req, q)));
  });

  router.delete("/mesh/objects/:kind/:namespace/:name", async (req, res) => {
    const ref = refOr400(req);
    res.json(await service.remove(ref, changeOptions(req, parseOr400(ChangeQuery, req.query))));
  });

  router.post("/mesh/validate", ...bodies, async (req, res) => {
    const body = requireBody(req);
    const objects =
      typeof body === "string"
        ? objectsFromYaml(body)
        : parseOr400(ValidateJson, body).objects.map((o, i) => objectFromJson(o, `objects[${i}]`));
    res.json(await service.validate(objects));
  });

  router.post("/mesh/wizards/:wizard", express.json({ limit }), async (req, res) => {
    const name = WizardName.safeParse(req.params.wizard);
    if (!name.success) {
      sendApiError(res, 404, "not_found", `no wizard "${req.params.wizard}" (known: ${WIZARDS.join(", ")})`);
      return;
    }
    const { dryRun } = parseOr400(WizardQuery, req.query);
    const body = JsonObject.safeParse(requireBody(req));
    if (!body.success) throw new ApiError(400, "invalid_request", "the wizard body must be a JSON object");
    res.json(await service.wizard(name.data, body.data, requestActor(req), dryRun));
  });

  router.get("/mesh/revisions", (req, res) => {
    const { limit: count } = parseOr400(RevisionsQuery, req.query);
    res.json({ revisions: service.revisions(count) });
  });

  router.get("/mesh/revisions/:id", (req, res) => {
    const id = parseOr400(RevisionId, req.params.id);
    const revision = service.revision(id);
    if (revision === null) sendApiError(res, 404, "not_found", `no revision ${id}`);
    else res.json(revision);
  });

  router.post("/mesh/revisions/:id/rollback", express.json({ limit }), async (req, res) => {
    const id = parseOr400(RollbackTarget, req.params.id);
    const q = parseOr400(ChangeQuery, req.query);
    const body = req.body === undefined ? {} : parseOr400(RollbackBody, req.body);
    const options = changeOptions(req, { ...q, ...body });
    res.json(await service.rollback(id, options));
  });

  router.get("/mesh/observed", async (req, res) => {
    const q = parseOr400(ObservedQuery, req.query);
    const endUs = q.end ?? deps.nowUs();
    const body: ConfiguredVsObserved = await service.observed({
      namespace: q.namespace,
      service: q.service,
      startUs: endUs - q.window * 1_000_000,
      endUs,
    });
    res.json(body);
  });

  router.use(sendRefusal);
  return router;
}

function changeOptions(req: Request, q: { confirmOverwrite?: boolean | undefined; message?: string | undefined }) {
  return {
    author: requestActor(req),
    confirmOverwrite: q.confirmOverwrite ?? false,
    ...(q.message === undefined ? {} : { message: q.message }),
  };
}
