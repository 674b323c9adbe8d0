/** What the side panel says about a node, computed from the graph's edges (pure). */
import type { EdgeView, GraphModel, NodeView } from "./graph-model";

export interface Breakdown {
  key: string;
  /** Requests/s. */
  rps: number;
}

/** Sums per-key requests/s over edges (response codes or Envoy flags), largest first. */
export function sumBreakdown(edges: readonly EdgeView[], pick: (e: EdgeView) => Record<string, number>): Breakdown[] {
  const totals = new Map<string, number>();
  for (const e of edges) {
    for (const [key, rps] of Object.entries(pick(e))) totals.set(key, (totals.get(key) ?? 0) + rps);
  }
  return [...totals]
    .filter(([, rps]) => rps > 0)
    .map(([key, rps]) => ({ key, rps }))
    .sort((a, b) => b.rps - a.rps || a.key.localeCompare(b.key));
}

export interface VersionRow {
  /** Node id of the version (for selecting it). */
  id: string;
  version: string;
  /** Requests/s into that version. */
  rps: number;
  /** Fraction 0–1 of the listed versions' requests. */
  share: number;
  health: string;
}

function rows(model: GraphModel, items: { id: string; rps: number }[]): VersionRow[] {
  const total = items.reduce((a, i) => a + i.rps, 0);
  return items
    .map((i) => {
      const n = model.nodeById.get(i.id)?.node;
      return {
        id: i.id,
        version: n?.version ?? n?.workload ?? i.id,
        rps: i.rps,
        share: total > 0 ? i.rps / total : 0,
        health: n?.health ?? "unknown",
      };
    })
    .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }));
}

/**
 * The versions behind a node: for a service, the app/workload nodes it routes to (the edges carry the split);
 * for an app version or an app box, the version nodes in the same app box.
 */
export function versionsOf(model: GraphModel, id: string): VersionRow[] {
  const box = model.boxById.get(id);
  if (box?.boxType === "app") return versionMembers(model, box.members);
  const view = model.nodeById.get(id);
  if (!view) return [];
  if (view.node.kind === "service") {
    const name = view.node.service;
    const out = (model.outbound.get(id) ?? []).filter((e) => {
      const target = model.nodeById.get(e.edge.target)?.node;
      return target !== undefined && target.kind !== "service" && (target.app === name || target.app === null);
    });
    return rows(
      model,
      out.map((e) => ({ id: e.edge.target, rps: e.edge.rps })),
    );
  }
  const parent = view.parent ? model.boxById.get(view.parent) : undefined;
  return parent?.boxType === "app" ? versionMembers(model, parent.members) : [];
}

function versionMembers(model: GraphModel, members: readonly string[]): VersionRow[] {
  const versions = members.flatMap((m) => {
    const v = model.nodeById.get(m);
    return v && v.node.kind !== "service" && v.node.version !== null ? [{ id: m, rps: v.node.inboundRps }] : [];
  });
  return rows(model, versions);
}

/** The peer on the other end of an edge, as a name for tables. */
export function peerName(model: GraphModel, id: string): string {
  const v: NodeView | undefined = model.nodeById.get(id);
  if (!v) return id;
  const n = v.node;
  if (n.kind === "app" && n.version !== null) return `${n.app ?? ""} ${n.version}`;
  return v.label;
}
