/**
 * react-query hooks of the mesh-config API (DESIGN §5). Every mutation invalidates the whole `mesh` prefix: an
 * apply, save, delete or rollback changes objects, validation results and the revision list together, and the
 * observed panel wants the new configured values at once.
 */
import {
  ConfiguredVsObserved,
  MeshObjectsResponse,
  type ObjectRef,
  RevisionDetail,
  RevisionsResponse,
  ValidateResponse,
  WizardResponse,
} from "@meshscope/model";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiGet, apiPath } from "../../api/client";
import { AnyBody, apiSend } from "./send";

export const meshKeys = {
  all: ["mesh"] as const,
  objects: () => [...meshKeys.all, "objects"] as const,
  revisions: () => [...meshKeys.all, "revisions"] as const,
  revision: (id: number) => [...meshKeys.all, "revision", id] as const,
  observed: (namespace: string, service: string, windowSeconds: number) =>
    [...meshKeys.all, "observed", namespace, service, windowSeconds] as const,
  validate: (yaml: string) => [...meshKeys.all, "validate", yaml] as const,
};

export function objectPath(ref: ObjectRef): string {
  return `/api/mesh/objects/${[ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join("/")}`;
}

/**
 * All objects of the target. Filters are applied in the page, not by the API, so the namespace and kind pickers
 * keep offering every value. External edits of the files are picked up by the server's watcher: poll every 10 s.
 */
export const meshObjectsQueryOptions = queryOptions({
  queryKey: meshKeys.objects(),
  queryFn: ({ signal }) => apiGet("/api/mesh/objects", MeshObjectsResponse, signal),
  refetchInterval: 10_000,
});

export function useMeshObjectsQuery() {
  return useQuery(meshObjectsQueryOptions);
}

export function useRevisionsQuery() {
  return useQuery({
    queryKey: meshKeys.revisions(),
    queryFn: ({ signal }) => apiGet("/api/mesh/revisions", RevisionsResponse, signal),
    refetchInterval: 10_000,
  });
}

/** A revision never changes once written: cached for good. */
export function useRevisionQuery(id: number | null) {
  return useQuery({
    queryKey: meshKeys.revision(id ?? -1),
    queryFn: ({ signal }) => apiGet(`/api/mesh/revisions/${id ?? -1}`, RevisionDetail, signal),
    enabled: id !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Validation of an editor's YAML against the target (`POST /api/mesh/validate`). A query keyed by the text, not a
 * mutation: going back to a text seen before answers from the cache, and a newer text supersedes an older one
 * (react-query aborts the stale request) so findings never belong to text that is no longer on screen.
 */
export function useValidateQuery(yaml: string | null) {
  return useQuery({
    queryKey: meshKeys.validate(yaml ?? ""),
    queryFn: ({ signal }) => apiSend("POST", "/api/mesh/validate", ValidateResponse, { yaml: yaml ?? "" }, signal),
    enabled: yaml !== null && yaml.trim() !== "",
    staleTime: 30_000,
    retry: false,
  });
}

/** What the metrics observe next to what the config says, every 5 s while the panel is on screen. */
export function useObservedQuery(namespace: string, service: string, windowSeconds = 30) {
  return useQuery({
    queryKey: meshKeys.observed(namespace, service, windowSeconds),
    queryFn: ({ signal }) =>
      apiGet(
        apiPath("/api/mesh/observed", { namespace, service, window: windowSeconds }),
        ConfiguredVsObserved,
        signal,
      ),
    refetchInterval: 5_000,
  });
}

function useInvalidateMesh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: meshKeys.all });
}

/**
 * Changing an object Meshscope did not write is refused (409 `overwrite_unmanaged`) until the user has seen the
 * diff and confirmed: the confirmation travels as `?confirmOverwrite=true` (PUT, DELETE) or in the JSON body.
 */
function withConfirm(path: string, confirmOverwrite: boolean | undefined): string {
  return confirmOverwrite ? apiPath(path, { confirmOverwrite: "true" }) : path;
}

export function useSaveObjectMutation() {
  const invalidate = useInvalidateMesh();
  return useMutation({
    mutationFn: ({ ref, yaml, confirmOverwrite }: { ref: ObjectRef; yaml: string; confirmOverwrite?: boolean }) =>
      apiSend("PUT", withConfirm(objectPath(ref), confirmOverwrite), WizardResponse, { yaml }),
    onSuccess: invalidate,
  });
}

export function useDeleteObjectMutation() {
  const invalidate = useInvalidateMesh();
  return useMutation({
    mutationFn: ({ ref, confirmOverwrite }: { ref: ObjectRef; confirmOverwrite?: boolean }) =>
      apiSend("DELETE", withConfirm(objectPath(ref), confirmOverwrite), AnyBody),
    onSuccess: invalidate,
  });
}

/** `POST /api/mesh/revisions/{id}/rollback`: objects changed after revision `id` go back to how they were right after it. */
export function useRollbackMutation() {
  const invalidate = useInvalidateMesh();
  return useMutation({
    mutationFn: ({ id, confirmOverwrite }: { id: number; confirmOverwrite?: boolean }) =>
      apiSend("POST", `/api/mesh/revisions/${id}/rollback`, RevisionDetail, {
        json: confirmOverwrite ? { confirmOverwrite: true } : {},
      }),
    onSuccess: invalidate,
  });
}
