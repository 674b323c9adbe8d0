import { WireError } from "../errors.js";

/**
 * A body whose declared decompressed size is over the caller's limit (a decompression bomb, or simply too big).
 * It is a `WireError` ("invalid_field"), so callers that only know `WireError` answer 400 and store nothing; a
 * receiver that wants to answer 413 Payload Too Large can tell it apart with `instanceof`.
 */
export class BodyTooLargeError extends WireError {
  readonly declaredBytes: number;
  readonly limitBytes: number;

  constructor(what: string, declaredBytes: number, limitBytes: number) {
    super("invalid_field", `${what} declares ${declaredBytes} uncompressed bytes, over the limit of ${limitBytes}`);
    this.name = "BodyTooLargeError";
    this.declaredBytes = declaredBytes;
    this.limitBytes = limitBytes;
  }
}
