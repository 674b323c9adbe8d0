/** Errors the Jaeger routes turn into Jaeger's error envelope (see jaeger-routes.ts). */

/** A bad query parameter: 400 with Jaeger's message shape, `unable to parse param '<name>': <problem>`. */
export class JaegerParamError extends Error {
  override name = "JaegerParamError";
  readonly status = 400;
  constructor(
    readonly param: string,
    problem: string,
  ) {
    super(`unable to parse param '${param}': ${problem}`);
  }
}

/** Any other answer that is not 200, with the message Jaeger gives for it (e.g. 404 "trace not found"). */
export class JaegerHttpError extends Error {
  override name = "JaegerHttpError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
