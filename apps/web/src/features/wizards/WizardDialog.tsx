import type { WizardName, WizardResponse } from "@meshscope/model";
import { WizardResponse as WizardResponseSchema } from "@meshscope/model";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { LoadingState } from "../../components/states";
import { DiffView } from "../mesh-config/DiffView";
import { Modal } from "../mesh-config/Modal";
import { ApiSendError } from "../mesh-config/send";
import { meshConfigPath } from "../mesh-config/url";
import { serviceDetailQueryOptions } from "../services/queries";
import { initialForm, WIZARD_HINTS, WIZARD_TITLES, type WizardForm } from "./form-state";
import { formProblems, wizardBody } from "./form-to-body";
import { WizardFormFields } from "./forms/WizardFormFields";
import { ObservedPanel } from "./ObservedPanel";
import { useWizardApplyMutation, useWizardPreviewMutation } from "./queries";
import { WizardFooter, type WizardStep } from "./WizardFooter";
import { WizardPreview } from "./WizardPreview";
import "../mesh-config/mesh-config.css";
import "./wizards.css";

export interface WizardTargetProps {
  wizard: WizardName;
  namespace: string;
  service: string;
  onClose(): void;
}

/** The service's versions: an hour of traffic, so a version idle right now (weight 0) is still offered. */
function useServiceVersions(namespace: string, service: string) {
  return useQuery({
    ...serviceDetailQueryOptions(namespace, service, { windowSeconds: 3600, endUs: null }),
    select: (d) => [...d.versions].sort(),
  });
}

/** A wizard as an accessible modal: form → preview (YAML, diff, validation) → [confirm overwrite] → applied. */
export function WizardDialog(props: WizardTargetProps) {
  const versions = useServiceVersions(props.namespace, props.service);
  const title = `${WIZARD_TITLES[props.wizard]} · ${props.service}`;
  if (versions.isPending) {
    return (
      <Modal title={title} onClose={props.onClose} testId="wizard-dialog" wide>
        <LoadingState label="Loading the service's versions…" />
      </Modal>
    );
  }
  // A service the metrics do not know yet still gets a form; version-based wizards then offer v1.
  const list = versions.data && versions.data.length > 0 ? versions.data : ["v1"];
  return <WizardFlow {...props} versions={list} title={title} />;
}

function previewFrom(error: unknown): WizardResponse | null {
  if (!(error instanceof ApiSendError)) return null;
  const parsed = WizardResponseSchema.safeParse(error.body);
  return parsed.success ? parsed.data : null;
}

function WizardFlow({
  wizard,
  namespace,
  service,
  onClose,
  versions,
  title,
}: WizardTargetProps & { versions: string[]; title: string }) {
  const [state, setState] = useState<WizardForm>(() => initialForm(wizard, versions));
  const [step, setStep] = useState<WizardStep>("form");
  const [preview, setPreview] = useState<WizardResponse | null>(null);
  const [applied, setApplied] = useState<WizardResponse | null>(null);
  const previewCall = useWizardPreviewMutation();
  const applyCall = useWizardApplyMutation();
  const problems = formProblems(state);
  const body = wizardBody(state, { namespace, service });
  const errors = preview?.validation.filter((v) => v.severity === "error").length ?? 0;
  const unmanaged = preview?.changes.some((c) => c.unmanaged) ?? false;

  const runPreview = () =>
    previewCall.mutate(
      { wizard, body },
      {
        onSuccess: (p) => {
          setPreview(p);
          setStep("preview");
        },
      },
    );
  const runApply = (confirmOverwrite: boolean) =>
    applyCall.mutate(
      { wizard, body, confirmOverwrite },
      {
        onSuccess: (r) => {
          setApplied(r);
          setStep("applied");
        },
        onError: (error) => {
          const p = previewFrom(error);
          if (p) setPreview(p);
          if (error instanceof ApiSendError && error.code === "overwrite_unmanaged") setStep("confirm");
        },
      },
    );

  const footer = (
    <WizardFooter
      step={step}
      previewCall={previewCall}
      applyCall={applyCall}
      canPreview={problems.length === 0}
      errors={errors}
      onPreview={runPreview}
      onBack={() => setStep(step === "confirm" ? "preview" : "form")}
      onApply={() => (unmanaged ? setStep("confirm") : runApply(false))}
      onConfirmOverwrite={() => runApply(true)}
      onClose={onClose}
    />
  );

  return (
    <Modal title={title} onClose={onClose} testId="wizard-dialog" wide footer={footer}>
      <ol className="wizard-steps" aria-label="Steps">
        {(["form", "preview", "applied"] as const).map((s, i) => (
          <li key={s} aria-current={step === s || (s === "preview" && step === "confirm") ? "step" : undefined}>
            {i + 1}. {s === "form" ? "Configure" : s === "preview" ? "Preview" : "Verify"}
          </li>
        ))}
      </ol>
      <div data-testid="wizard-step" data-step={step}>
        {step === "form" && (
          <form className="wizard-form" onSubmit={(e) => e.preventDefault()} data-testid="wizard-form">
            <p className="muted">{WIZARD_HINTS[wizard]}</p>
            <WizardFormFields state={state} versions={versions} onChange={setState} />
            {problems.length > 0 && (
              <ul className="form-problems" data-testid="wizard-problems">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </form>
        )}
        {step === "preview" && preview && <WizardPreview preview={preview} />}
        {step === "confirm" && preview && <ConfirmOverwrite preview={preview} />}
        {step === "applied" && applied && (
          <div className="wizard-applied" data-testid="wizard-applied">
            <p className="notice notice-ok" role="status">
              Applied{" "}
              {applied.revision !== null && (
                <>
                  as{" "}
                  <Link
                    to={meshConfigPath({ tab: "revisions", revision: applied.revision })}
                    data-testid="wizard-revision-link"
                  >
                    revision #{applied.revision}
                  </Link>
                </>
              )}
              . The demo mesh and the proxies pick the change up within seconds.
            </p>
            <ObservedPanel namespace={namespace} service={service} />
          </div>
        )}
      </div>
    </Modal>
  );
}

/** The extra step before overwriting objects someone else wrote: which ones, and exactly what changes. */
function ConfirmOverwrite({ preview }: { preview: WizardResponse }) {
  const theirs = preview.changes.filter((c) => c.unmanaged);
  return (
    <div className="wizard-confirm" data-testid="wizard-confirm">
      <p className="notice" role="alert">
        {theirs.length === 1 ? "This object exists" : "These objects exist"} and {theirs.length === 1 ? "was" : "were"}{" "}
        not written by Meshscope. Applying replaces {theirs.length === 1 ? "it" : "them"} as shown below; the previous
        version stays in the revision history.
      </p>
      <ul className="change-list">
        {theirs.map((c) => (
          <li key={`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`} className="mono">
            {c.ref.kind} {c.ref.namespace}/{c.ref.name}
          </li>
        ))}
      </ul>
      <DiffView diff={preview.diff} testId="wizard-confirm-diff" />
    </div>
  );
}
