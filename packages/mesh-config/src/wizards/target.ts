// What every builder works on: the service a body names, the wizard writing, and what the mesh has now.
import type { WizardName } from "@meshscope/model";
import type { WizardContext } from "./types.js";

export interface WizardTarget {
  wizard: WizardName;
  namespace: string;
  service: string;
  context: WizardContext;
}

export interface Problem {
  /** Where in the body, e.g. `weights[1].version`. */
  path: string;
  message: string;
}

/** A builder step's outcome: a value, or the problems that stop the wizard (never both). */
export type Built<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const built = <T>(value: T): Built<T> => ({ ok: true, value });
export const failed = <T>(...problems: Problem[]): Built<T> => ({ ok: false, problems });
