import type { UseMutationResult } from "@tanstack/react-query";
import { ReadOnlyReason, useMeshEditPermission } from "../auth/MeshEditGuard";
import { ApiSendError } from "../mesh-config/send";

export type WizardStep = "form" | "preview" | "confirm" | "applied";

type Call = Pick<UseMutationResult<unknown, Error, never>, "isPending" | "isError" | "error">;

function ErrorLine({ error, testId }: { error: Error; testId?: string }) {
  return (
    <p className="field-error modal-error" role="alert" data-testid={testId}>
      {error.message}
    </p>
  );
}

/** The dialog's buttons for each step; Apply stays disabled while the preview has validation errors. */
export function WizardFooter({
  step,
  previewCall,
  applyCall,
  canPreview,
  errors,
  onPreview,
  onBack,
  onApply,
  onConfirmOverwrite,
  onClose,
}: {
  step: WizardStep;
  previewCall: Call;
  applyCall: Call;
  canPreview: boolean;
  errors: number;
  onPreview(): void;
  onBack(): void;
  onApply(): void;
  onConfirmOverwrite(): void;
  onClose(): void;
}) {
  // WizardMenu does not open a wizard for a viewer; this covers a role that changes while a dialog is open.
  const permission = useMeshEditPermission();
  switch (step) {
    case "form":
      return (
        <>
          {previewCall.error && <ErrorLine error={previewCall.error} testId="wizard-preview-error" />}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!canPreview || previewCall.isPending}
            onClick={onPreview}
            data-testid="wizard-preview-button"
          >
            {previewCall.isPending ? "Building preview…" : "Preview"}
          </button>
        </>
      );
    case "preview":
      return (
        <>
          {applyCall.error && <ErrorLine error={applyCall.error} testId="wizard-apply-error" />}
          <ReadOnlyReason permission={permission} />
          <button type="button" className="button" onClick={onBack} data-testid="wizard-back">
            Back
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={errors > 0 || applyCall.isPending || !permission.allowed}
            title={!permission.allowed ? permission.reason : errors > 0 ? "Fix the validation errors first" : undefined}
            onClick={onApply}
            data-testid="wizard-apply"
          >
            {applyCall.isPending ? "Applying…" : "Apply"}
          </button>
        </>
      );
    case "confirm":
      return (
        <>
          {applyCall.error &&
            !(applyCall.error instanceof ApiSendError && applyCall.error.code === "overwrite_unmanaged") && (
              <ErrorLine error={applyCall.error} />
            )}
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={applyCall.isPending || !permission.allowed}
            onClick={onConfirmOverwrite}
            data-testid="wizard-confirm-overwrite"
          >
            {applyCall.isPending ? "Applying…" : "Overwrite and apply"}
          </button>
        </>
      );
    case "applied":
      return (
        <button type="button" className="button button-primary" onClick={onClose} data-testid="wizard-done">
          Done
        </button>
      );
  }
}
