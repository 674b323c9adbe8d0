/**
 * The Mesh Config page's state in the query string (CONVENTIONS: every view is a link): the tab, the namespace
 * and kind filters, the open object (`obj=Kind/namespace/name`) and the open revision (`rev=12`).
 */
import type { ObjectRef } from "@meshscope/model";

export const TABS = ["objects", "revisions"] as const;
export type MeshConfigTab = (typeof TABS)[number];

export interface MeshConfigUrlState {
  tab: MeshConfigTab;
  namespace: string;
  kind: string;
  object: ObjectRef | null;
  revision: number | null;
}

export function parseObjectRef(text: string): ObjectRef | null {
  const parts = text.split("/");
  if (parts.length !== 3) return null;
  const [kind = "", namespace = "", name = ""] = parts;
  return kind && namespace && name ? { kind, namespace, name } : null;
}

export function formatObjectRef(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function readMeshConfigUrl(params: URLSearchParams): MeshConfigUrlState {
  const tab = TABS.find((t) => t === params.get("tab")) ?? "objects";
  const rev = Number(params.get("rev"));
  return {
    tab,
    namespace: params.get("ns") ?? "",
    kind: params.get("kind") ?? "",
    object: parseObjectRef(params.get("obj") ?? ""),
    revision: Number.isInteger(rev) && rev > 0 ? rev : null,
  };
}

/** `params` with the state written; defaults and empty values are left out, other keys are kept. */
export function writeMeshConfigUrl(params: URLSearchParams, state: MeshConfigUrlState): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string) => (value === "" ? next.delete(key) : next.set(key, value));
  set("tab", state.tab === "objects" ? "" : state.tab);
  set("ns", state.namespace);
  set("kind", state.kind);
  set("obj", state.object ? formatObjectRef(state.object) : "");
  set("rev", state.revision === null ? "" : String(state.revision));
  return next;
}

export function meshConfigPath(state: Partial<MeshConfigUrlState>): string {
  const full: MeshConfigUrlState = { tab: "objects", namespace: "", kind: "", object: null, revision: null, ...state };
  const query = writeMeshConfigUrl(new URLSearchParams(), full).toString();
  return query ? `/mesh-config?${query}` : "/mesh-config";
}
