/** A query the trace services cannot run as given (bad tag syntax, min above max...): the API answers 400. */
export class InvalidQueryError extends Error {
  override name = "InvalidQueryError";
}
