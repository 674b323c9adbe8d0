/** Why a whole request was refused: the bytes are not the format they claim ("malformed"), or a field has the
 * wrong type or an impossible value ("invalid_field"). Either way nothing of the request should be stored; the
 * message names the field (JSON path or protobuf message/field and byte offset) so a 400 answer can say it. */
export type WireErrorCode = "malformed" | "invalid_field";

export class WireError extends Error {
  readonly code: WireErrorCode;

  constructor(code: WireErrorCode, message: string) {
    super(message);
    this.name = "WireError";
    this.code = code;
  }
}
