/**
 * The mesh-config object store behind /api/mesh (DESIGN §4): the target's objects with their validation, and
 * every change as "plan → validate → refuse or dry-run → write → record a revision".
 *
 * Ordering: the listing a change is planned against, the target's check of that listing (files: hashes; cluster:
 * resourceVersions), the write and the revision happen in one exclusive section, so two changes never interleave
 * and a watcher-triggered re-read cannot slip between a plan and its write. Reads use a snapshot the watcher keeps
 * fresh (the graph asks for badges on every refresh; it must not read the directory each time).
 */
import {
  buildWizard,
  type MeshObject,
  stringifyMeshYaml,
  type ValidationContext,
  validateMeshObjects,
} from "@meshscope/mesh-config";
import type {
  ConfiguredVsObserved,
  GraphResponse,
  MeshObjectEntry,
  MeshObjectsResponse,
  ObjectRef,
  RevisionDetail,
  RevisionSummary,
  ValidateResponse,
  WizardName,
  WizardResponse,
} from "@meshscope/model";
import { z } from "zod";
import { ApiError } from "../api/errors.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import type { Logger } from "../ops/logger.js";
import { applyBadges, type BadgeIndex, badgeIndex } from "./badges.js";
import { type Inventory, readInventory } from "./inventory.js";
import { MeshRefusal, unmanagedRefusal } from "./mesh-refusal.js";
import { formatRef, objectEntry, objectJson, refKey, refOf, sameRef } from "./object-ref.js";
import { configuredVsObserved, type ObservedQuery } from "./observed.js";
import { type DesiredObject, type Plan, planChanges } from "./plan.js";
import type { RevisionStore } from "./revisions.js";
import { stateAfterRevision } from "./rollback-state.js";
import { type MeshTarget, TargetConflictError, type TargetListing } from "./target.js";

export interface MeshServiceDeps {
  target: MeshTarget;
  revisions: RevisionStore;
  /** Known services and workloads for validation and wizards; without it those checks are skipped. */
  metrics?: MetricReader;
  nowUs: () => number;
  logger: Logger;
}

export interface ChangeOptions {
  author: string;
  message?: string;
  /** The caller saw the diff and agrees to overwrite or delete objects Meshscope did not write. */
  confirmOverwrite: boolean;
}

type FoundValidation = WizardResponse["validation"][number];

interface Preview {
  response: WizardResponse;
  plan: Plan;
}

// The inventory reads 10 minutes of metrics; changes and listings in a burst share one read.
const INVENTORY_TTL_MS = 5_000;

/** Fields of a wizard body that are about the request, not the Istio objects. */
const RequestFields = z.object({ confirmOverwrite: z.boolean().optional(), message: z.string().max(1000).optional() });
const WizardTarget = z.object({ namespace: z.string(), service: z.string() });

export class MeshService {
  private snapshot: TargetListing = { objects: [], errors: [] };
  private badges: BadgeIndex = new Map();
  private stale = true;
  private queue: Promise<unknown> = Promise.resolve();
  private inventoryCache: { atMs: number; value: Inventory | null } | null = null;
  private unwatch: (() => void) | null = null;

  constructor(private readonly deps: MeshServiceDeps) {}

  /** Reads the target once and follows its changes. */
  async start(): Promise<void> {
    // An unreachable cluster at start-up must not keep the console from starting: reads retry while stale.
    await this.exclusive(() => this.refreshNow()).catch((error: unknown) => {
      this.stale = true;
      this.deps.logger.warn("mesh config could not be read", { target: this.deps.target.kind, error });
    });
    this.unwatch = this.deps.target.watch(() => {
      this.stale = true;
      this.exclusive(() => this.refreshNow()).catch((error: unknown) =>
        this.deps.logger.warn("mesh config re-read failed", { error }),
      );
    });
  }

  async close(): Promise<void> {
    this.unwatch?.();
    await this.queue;
    await this.deps.target.close();
    this.deps.revisions.close();
  }

  // ---- reads -------------------------------------------------------------------------------------------------

  async objects(filter: { namespace?: string; kind?: string } = {}): Promise<MeshObjectsResponse> {
    const listing = await this.current();
    const found = new Map(
      this.validateAll(listing.objects.map((s) => s.object)).map((v) => [refKey(v.ref), v.messages]),
    );
    const entries = listing.objects
      .map((s) => objectEntry(s.object, s.source, found.get(refKey(refOf(s.object))) ?? []))
      .filter((e) => filter.namespace === undefined || e.ref.namespace === filter.namespace)
      .filter((e) => filter.kind === undefined || e.ref.kind === filter.kind);
    return { target: this.deps.target.kind, objects: entries, fileErrors: listing.errors };
  }

  async object(ref: ObjectRef): Promise<MeshObjectEntry | null> {
    const all = await this.objects({ namespace: ref.namespace, kind: ref.kind });
    return all.objects.find((e) => sameRef(e.ref, ref)) ?? null;
  }

  /** Checks `objects` against each other and against the target's other objects. */
  async validate(objects: readonly MeshObject[]): Promise<ValidateResponse> {
    const listing = await this.current();
    const found = validateMeshObjects(objects, this.context(objects, listing));
    return { results: found.map((v) => ({ object: v.ref, validation: v.messages })) };
  }

  revisions(limit = 200): RevisionSummary[] {
    return this.deps.revisions.list(limit);
  }

  revision(id: number): RevisionDetail | null {
    return this.deps.revisions.get(id);
  }

  async observed(q: ObservedQuery): Promise<ConfiguredVsObserved> {
    const listing = await this.current();
    const edges = this.deps.metrics
      ? this.deps.metrics.edgeTraffic({ startMs: q.startUs / 1000, endMs: q.endUs / 1000, namespaces: [q.namespace] })
      : [];
    return configuredVsObserved(
      listing.objects.map((s) => s.object),
      edges,
      q,
    );
  }

  /** The graph with mesh-config badges, from the latest snapshot (a stale one is re-read in the background). */
  decorateGraph(graph: GraphResponse): GraphResponse {
    if (this.stale) this.exclusive(() => this.refreshNow()).catch(() => undefined);
    return applyBadges(graph, this.badges);
  }

  // ---- changes -----------------------------------------------------------------------------------------------

  /** A wizard's preview (`dryRun`) or apply. `body` is the wizard's body plus `confirmOverwrite` and `message`. */
  wizard(name: WizardName, body: Record<string, unknown>, author: string, dryRun: boolean): Promise<WizardResponse> {
    return this.exclusive(async () => {
      const { confirmOverwrite, message, ...wizardBody } = body;
      const request = RequestFields.safeParse({ confirmOverwrite, message });
      if (!request.success) throw new ApiError(400, "invalid_request", "confirmOverwrite: boolean; message: string");
      const listing = await this.refreshNow();
      const built = buildWizard(name, wizardBody, {
        existing: listing.objects.map((s) => s.object),
        versions: this.versionsFor(wizardBody),
      });
      if (!built.ok) {
        const why = built.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ");
        throw new ApiError(400, "invalid_request", why);
      }
      const desired = built.objects.map((object) => ({ ref: refOf(object), object }));
      const preview = await this.preview(built.objects, desired, listing);
      if (dryRun) return preview.response;
      const target = WizardTarget.safeParse(wizardBody);
      const defaultMessage = target.success ? `${name}: ${target.data.service}.${target.data.namespace}` : name;
      return this.commit(
        preview,
        { wizard: name, rollbackOf: null },
        {
          author,
          message: request.data.message ?? defaultMessage,
          confirmOverwrite: request.data.confirmOverwrite ?? false,
        },
      );
    });
  }

  /** Creates or replaces one object (the YAML editor). */
  put(object: MeshObject, options: ChangeOptions): Promise<WizardResponse> {
    return this.exclusive(async () => {
      const listing = await this.refreshNow();
      const preview = await this.preview([object], [{ ref: refOf(object), object }], listing);
      const verb = listing.objects.some((s) => sameRef(refOf(s.object), refOf(object))) ? "edit" : "create";
      const message = options.message ?? `${verb} ${formatRef(refOf(object))}`;
      return this.commit(preview, { wizard: null, rollbackOf: null }, { ...options, message });
    });
  }

  remove(ref: ObjectRef, options: ChangeOptions): Promise<WizardResponse> {
    return this.exclusive(async () => {
      const listing = await this.refreshNow();
      if (!listing.objects.some((s) => sameRef(refOf(s.object), ref))) {
        throw new ApiError(404, "not_found", `no ${formatRef(ref)}`);
      }
      const preview = await this.preview([], [{ ref, object: null }], listing);
      const message = options.message ?? `delete ${formatRef(ref)}`;
      return this.commit(preview, { wizard: null, rollbackOf: null }, { ...options, message });
    });
  }

  /**
   * Makes every object touched after revision `id` look as it did right after `id` (the "before" of the first
   * later revision that touched it), recorded as a new revision. Not refused for validation findings: the state
   * being restored was accepted once, and a rollback is what one reaches for when things are on fire.
   * Revision 0 is the state before the first revision: rolling back to it undoes every recorded change.
   */
  rollback(id: number, options: ChangeOptions): Promise<RevisionDetail> {
    return this.exclusive(async () => {
      if (id !== 0 && this.deps.revisions.get(id) === null) {
        throw new ApiError(404, "not_found", `no revision ${id}`);
      }
      const desired = stateAfterRevision(this.deps.revisions, id);
      const listing = await this.refreshNow();
      const plan = planChanges(listing.objects, desired);
      if (plan.writes.length === 0) {
        throw new ApiError(409, "nothing_to_roll_back", `the objects already look as they did after revision ${id}`);
      }
      const details = { changes: plan.changes, diff: plan.diff };
      if (plan.unmanaged.length > 0 && !options.confirmOverwrite) throw unmanagedRefusal(plan.unmanaged, details);
      const problems = await this.dryRun(plan);
      if (problems.length > 0) {
        const why = problems.map((p) => `${formatRef(p.ref)}: ${p.message}`).join("; ");
        throw new MeshRefusal(422, "target_refused", why, details);
      }
      await this.write(plan, details);
      return this.record(plan, {
        author: options.author,
        message: options.message ?? (id === 0 ? "roll back every recorded change" : `roll back to revision ${id}`),
        wizard: null,
        rollbackOf: id,
      });
    });
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async refreshNow(): Promise<TargetListing> {
    this.stale = false;
    let listing: TargetListing;
    try {
      listing = await this.deps.target.list();
    } catch (error) {
      this.stale = true;
      throw new ApiError(502, "target_unavailable", `${this.deps.target.kind} target: ${messageOf(error)}`);
    }
    this.snapshot = listing;
    this.badges = badgeIndex(listing.objects.map((s) => s.object));
    return listing;
  }

  private async current(): Promise<TargetListing> {
    return this.stale ? this.exclusive(() => this.refreshNow()) : this.snapshot;
  }

  private inventory(): Inventory | null {
    const metrics = this.deps.metrics;
    if (!metrics) return null;
    const nowMs = this.deps.nowUs() / 1000;
    if (this.inventoryCache === null || nowMs - this.inventoryCache.atMs > INVENTORY_TTL_MS) {
      this.inventoryCache = { atMs: nowMs, value: readInventory(metrics, nowMs) };
    }
    return this.inventoryCache.value;
  }

  private versionsFor(body: Record<string, unknown>) {
    const target = WizardTarget.safeParse(body);
    if (!target.success) return [];
    return this.inventory()?.versions.get(`${target.data.namespace}/${target.data.service}`) ?? [];
  }

  /** Validation context for `checked`: the target's other objects and what the metrics know. */
  private context(checked: readonly MeshObject[], listing: TargetListing): ValidationContext {
    const replaced = new Set(checked.map((o) => refKey(refOf(o))));
    const inventory = this.inventory();
    return {
      existing: listing.objects.map((s) => s.object).filter((o) => !replaced.has(refKey(refOf(o)))),
      ...(inventory ? { workloads: inventory.workloads, services: inventory.services } : {}),
    };
  }

  private validateAll(objects: readonly MeshObject[]) {
    const inventory = this.inventory();
    return validateMeshObjects(
      objects,
      inventory ? { workloads: inventory.workloads, services: inventory.services } : {},
    );
  }

  private async preview(after: MeshObject[], desired: DesiredObject[], listing: TargetListing): Promise<Preview> {
    const plan = planChanges(listing.objects, desired);
    const validation: FoundValidation[] = validateMeshObjects(after, this.context(after, listing)).flatMap((v) =>
      v.messages.map((m) => ({ ...m, object: v.ref })),
    );
    for (const p of await this.dryRun(plan)) {
      validation.push({ severity: "error", code: p.code, message: p.message, path: "", object: p.ref });
    }
    const response: WizardResponse = {
      objects: after.map(objectJson),
      yaml: stringifyMeshYaml(after),
      diff: plan.diff,
      changes: plan.changes,
      validation,
      applied: false,
      revision: null,
    };
    return { response, plan };
  }

  private async commit(
    preview: Preview,
    meta: { wizard: string | null; rollbackOf: number | null },
    options: ChangeOptions,
  ): Promise<WizardResponse> {
    const { response, plan } = preview;
    const errors = response.validation.filter((v) => v.severity === "error");
    if (errors.length > 0) {
      const why = errors.map((e) => `${e.code} ${e.path}: ${e.message}`).join("; ");
      throw new MeshRefusal(422, "invalid_config", `validation found ${errors.length} error(s): ${why}`, response);
    }
    if (plan.unmanaged.length > 0 && !options.confirmOverwrite) throw unmanagedRefusal(plan.unmanaged, response);
    // Nothing differs from what is in force: applied, with nothing to record.
    if (plan.writes.length === 0) return { ...response, applied: true };
    await this.write(plan, response);
    const revision = this.record(plan, {
      author: options.author,
      message: options.message ?? "",
      wizard: meta.wizard,
      rollbackOf: meta.rollbackOf,
    });
    return { ...response, applied: true, revision: revision.id };
  }

  private async dryRun(plan: Plan) {
    try {
      return await this.deps.target.dryRun(plan.writes);
    } catch (error) {
      throw new ApiError(502, "target_unavailable", `${this.deps.target.kind} target: ${messageOf(error)}`);
    }
  }

  private async write(plan: Plan, details: object): Promise<void> {
    try {
      await this.deps.target.apply(plan.writes);
    } catch (error) {
      // Part of it may have been written before the failure: the next read must look again.
      this.stale = true;
      if (error instanceof TargetConflictError) throw new MeshRefusal(409, "conflict", error.message, details);
      // The target could not write (permissions, a full disk, the API server refusing): its words, not a bare 500.
      this.deps.logger.error("mesh config write failed", { target: this.deps.target.kind, error });
      throw new MeshRefusal(502, "target_failed", `${this.deps.target.kind} target: ${messageOf(error)}`, details);
    }
    // Re-read now, inside the exclusive section, so the next answer (and the graph's badges) shows the change.
    await this.refreshNow().catch(() => {
      this.stale = true;
    });
  }

  private record(
    plan: Plan,
    meta: { author: string; message: string; wizard: string | null; rollbackOf: number | null },
  ) {
    const revision = this.deps.revisions.record({
      timeUs: this.deps.nowUs(),
      ...meta,
      changes: plan.changes,
      diff: plan.diff,
    });
    this.deps.logger.info("mesh config changed", {
      revision: revision.id,
      author: meta.author,
      objects: plan.changes.map((c) => `${c.action} ${formatRef(c.ref)}`),
    });
    return revision;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
