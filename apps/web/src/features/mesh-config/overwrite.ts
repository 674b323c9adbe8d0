/** Reading a 409 `overwrite_unmanaged` answer: its body carries the diff the user must see before confirming. */
import { type ObjectChange, WizardResponse } from "@meshscope/model";
import { ApiSendError } from "./send";

const RefusalDetails = WizardResponse.pick({ diff: true, changes: true });

export interface OverwriteRefusal {
  message: string;
  diff: string;
  unmanaged: ObjectChange[];
}

export function overwriteRefusal(error: unknown): OverwriteRefusal | null {
  if (!(error instanceof ApiSendError) || error.code !== "overwrite_unmanaged") return null;
  const details = RefusalDetails.safeParse(error.body);
  return {
    message: error.message,
    diff: details.success ? details.data.diff : "",
    unmanaged: details.success ? details.data.changes.filter((c) => c.unmanaged) : [],
  };
}
