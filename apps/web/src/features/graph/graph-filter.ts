/**
 * Applies find and hide expressions to a graph model, with Kiali's semantics (kiali.md §1.6): hide wins over
 * find; hiding a node hides its edges; hiding edges hides the nodes they leave without any visible edge. Boxes
 * whose members are all hidden disappear too.
 */
import type { CompiledFind } from "./find-expression";
import { edgeSubject, type GraphModel, nodeSubject } from "./graph-model";

export interface GraphFilter {
  /** Ids of nodes and edges the find expression highlights (never hidden ones). */
  found: ReadonlySet<string>;
  /** Ids of nodes, edges and boxes not drawn. */
  hidden: ReadonlySet<string>;
}

export const NO_FILTER: GraphFilter = { found: new Set(), hidden: new Set() };

function matching(model: GraphModel, find: CompiledFind): Set<string> {
  const ids = new Set<string>();
  if (find.targets.has("node")) for (const n of model.nodes) if (find.matches(nodeSubject(n))) ids.add(n.id);
  if (find.targets.has("edge")) for (const e of model.edges) if (find.matches(edgeSubject(e))) ids.add(e.id);
  return ids;
}

function hiddenIds(model: GraphModel, hide: CompiledFind): Set<string> {
  const hidden = matching(model, hide);
  const degree = new Map<string, number>();
  const visibleDegree = new Map<string, number>();
  for (const { edge } of model.edges) {
    if (hidden.has(edge.source) || hidden.has(edge.target)) hidden.add(edge.id);
    for (const end of [edge.source, edge.target]) {
      degree.set(end, (degree.get(end) ?? 0) + 1);
      if (!hidden.has(edge.id)) visibleDegree.set(end, (visibleDegree.get(end) ?? 0) + 1);
    }
  }
  for (const [id, d] of degree) if (d > 0 && (visibleDegree.get(id) ?? 0) === 0) hidden.add(id);
  // Inner boxes first (app boxes sit inside namespace boxes), so a namespace box sees its app boxes' state.
  const boxes = [...model.boxes].sort((a, b) => (a.boxType === b.boxType ? 0 : a.boxType === "app" ? -1 : 1));
  for (const box of boxes) if (box.members.every((m) => hidden.has(m))) hidden.add(box.id);
  return hidden;
}

export function filterGraph(model: GraphModel, find: CompiledFind | null, hide: CompiledFind | null): GraphFilter {
  if (find === null && hide === null) return NO_FILTER;
  const hidden = hide ? hiddenIds(model, hide) : new Set<string>();
  const found = find ? matching(model, find) : new Set<string>();
  for (const id of hidden) found.delete(id);
  return { found, hidden };
}
