/**
 * Every route an express app serves, with its full path, read from the app's router stack, and the non-GET ones
 * no access list names. The route inventory test walks the real console app with it, so a route added anywhere
 * (`router.post("/x", …)` in any router) fails the test until someone decides who may call it.
 *
 * express 5's router (2.x) keeps each layer's mount path as `rawPath`; a path that is not a string or a list of
 * strings (a RegExp) is reported as an error rather than guessed at.
 */
import type { Express } from "express";
import {
  EDITOR_ROUTES,
  INGEST_ROUTES,
  isSafeMethod,
  normalizePath,
  OIDC_PREFIX,
  PUBLIC_POSTS,
  READ_ONLY_POSTS,
  type RouteRule,
} from "./access-rules.js";

export interface RouteEntry {
  /** Upper case; "ALL" for `router.all`. */
  method: string;
  /** The express path pattern, mount paths included: `/api/mesh/objects/:kind/:namespace/:name`. */
  path: string;
}

function field(value: unknown, key: string): unknown {
  // Apps and routers are functions with properties.
  return (typeof value === "object" && value !== null) || typeof value === "function"
    ? Reflect.get(value, key)
    : undefined;
}

function stackOf(handle: unknown): unknown[] | null {
  const stack = field(handle, "stack");
  return Array.isArray(stack) ? stack : null;
}

function joinPath(prefix: string, path: string): string {
  if (path === "/" || path === "") return prefix === "" ? "/" : prefix;
  return `${prefix}${path}`;
}

/** A path or list of paths as given to express; a RegExp (or anything else) is refused, not guessed at. */
function pathsOf(value: unknown, where: string): string[] {
  const list = Array.isArray(value) ? value.flat(Number.POSITIVE_INFINITY) : [value];
  return list.map((p) => {
    if (typeof p !== "string")
      throw new Error(`a route or router under ${where || "/"} has a path that is not a string`);
    return p;
  });
}

function walk(stack: readonly unknown[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    const route = field(layer, "route");
    if (route !== undefined) {
      const methods = field(route, "methods");
      for (const path of pathsOf(field(route, "path"), prefix)) {
        for (const [m, on] of Object.entries(typeof methods === "object" && methods !== null ? methods : {})) {
          if (on === true) out.push({ method: m === "_all" ? "ALL" : m.toUpperCase(), path: joinPath(prefix, path) });
        }
      }
      continue;
    }
    const sub = stackOf(field(layer, "handle"));
    if (sub === null) continue; // plain middleware
    for (const mount of pathsOf(field(layer, "rawPath"), prefix))
      walk(sub, mount === "/" ? prefix : `${prefix}${mount}`, out);
  }
}

export function listRoutes(app: Express): RouteEntry[] {
  const stack = stackOf(field(app, "router"));
  if (stack === null) throw new Error("not an express 5 app: no router stack");
  const out: RouteEntry[] = [];
  walk(stack, "", out);
  return out;
}

/** A concrete path for a pattern: each parameter (`:id`, `*splat`) becomes "x", optional groups are kept. */
export function samplePath(pattern: string): string {
  return pattern.replace(/[{}]/g, "").replace(/[:*][A-Za-z0-9_$]+/g, "x");
}

const LISTS: readonly (readonly RouteRule[])[] = [INGEST_ROUTES, PUBLIC_POSTS, READ_ONLY_POSTS, EDITOR_ROUTES];

/** Non-GET routes that no access list names (the guard would still ask for the editor role, but nobody chose). */
export function unclassifiedRoutes(routes: readonly RouteEntry[]): RouteEntry[] {
  return routes.filter((r) => {
    if (r.method !== "ALL" && isSafeMethod(r.method)) return false;
    if (normalizePath(r.path).startsWith(OIDC_PREFIX)) return false;
    const method = r.method.toLowerCase();
    return !LISTS.some((list) => list.some(([m, p]) => m === method && p === r.path));
  });
}
