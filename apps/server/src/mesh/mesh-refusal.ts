/**
 * A refused change whose answer carries more than the error envelope: the preview (objects, YAML, diff,
 * validation) the person must see to fix or confirm it. The routes send `{"error": {...}, ...details}`, which is
 * still a valid error envelope for clients that read only that.
 */
import type { ObjectRef } from "@meshscope/model";
import { ApiError } from "../api/errors.js";
import { formatRef } from "./object-ref.js";

export class MeshRefusal extends ApiError {
  override name = "MeshRefusal";
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: object,
  ) {
    super(status, code, message);
  }
}

/** 409 `overwrite_unmanaged`: the change would replace or delete objects Meshscope did not write. */
export function unmanagedRefusal(unmanaged: readonly ObjectRef[], details: object): MeshRefusal {
  const one = unmanaged.length === 1;
  return new MeshRefusal(
    409,
    "overwrite_unmanaged",
    `${unmanaged.map(formatRef).join(", ")} ${one ? "was" : "were"} not written by Meshscope; review the diff and ` +
      `send confirmOverwrite: true to replace ${one ? "it" : "them"}`,
    details,
  );
}
