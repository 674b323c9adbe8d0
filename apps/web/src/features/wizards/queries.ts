/** Wizard calls: preview (`?dryRun=true`) and apply (`POST /api/mesh/wizards/{wizard}`), DESIGN §5. */
import { type WizardName, WizardResponse } from "@meshscope/model";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphKeys } from "../graph/queries";
import { meshKeys } from "../mesh-config/queries";
import { apiSend } from "../mesh-config/send";
import type { WizardBody } from "./wizard-bodies";

export interface WizardCall {
  wizard: WizardName;
  body: WizardBody;
  /** Set after the user has seen the diff of objects Meshscope did not create (the 409 `overwrite_unmanaged`). */
  confirmOverwrite?: boolean;
}

function wizardPath(wizard: WizardName, dryRun: boolean): string {
  return `/api/mesh/wizards/${encodeURIComponent(wizard)}${dryRun ? "?dryRun=true" : ""}`;
}

/** A preview writes nothing: a mutation only because it is a POST the user triggers, never cached. */
export function useWizardPreviewMutation() {
  return useMutation({
    mutationFn: ({ wizard, body }: WizardCall) =>
      apiSend("POST", wizardPath(wizard, true), WizardResponse, { json: body }),
  });
}

export function useWizardApplyMutation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ wizard, body, confirmOverwrite }: WizardCall) =>
      apiSend("POST", wizardPath(wizard, false), WizardResponse, {
        json: confirmOverwrite ? { ...body, confirmOverwrite: true } : body,
      }),
    // Objects, revisions and the graph's badges all change with an apply.
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: meshKeys.all }),
        client.invalidateQueries({ queryKey: graphKeys.all }),
      ]),
  });
}
