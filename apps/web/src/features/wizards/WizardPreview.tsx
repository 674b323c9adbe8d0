import type { WizardResponse } from "@meshscope/model";
import { useState } from "react";
import { DiffView } from "../mesh-config/DiffView";
import { ValidationList } from "../mesh-config/ValidationList";

const ACTION_LABEL = { create: "create", update: "update", delete: "delete" } as const;

/** Step 2 of a wizard: what will change (objects, diff, YAML) and what validation thinks of it. */
export function WizardPreview({ preview }: { preview: WizardResponse }) {
  const [view, setView] = useState<"diff" | "yaml">("diff");
  return (
    <div className="wizard-preview" data-testid="wizard-preview">
      <section>
        <h3 className="side-section-title">Changes</h3>
        <ul className="change-list" data-testid="wizard-changes">
          {preview.changes.map((c) => (
            <li
              key={`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`}
              data-testid="wizard-change"
              data-action={c.action}
            >
              <span className={`change-action change-${c.action}`}>{ACTION_LABEL[c.action]}</span>{" "}
              <span className="mono">
                {c.ref.kind} {c.ref.namespace}/{c.ref.name}
              </span>
              {c.unmanaged && (
                <span className="badge badge-error" title="Exists and was not written by Meshscope">
                  not managed by Meshscope
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3 className="side-section-title">Validation</h3>
        <ValidationList findings={preview.validation} testId="wizard-validation" />
      </section>
      <section>
        <div className="tabs" role="tablist" aria-label="Preview">
          {(["diff", "yaml"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? "tab is-active" : "tab"}
              onClick={() => setView(v)}
              data-testid={`preview-tab-${v}`}
            >
              {v === "diff" ? "Diff" : "YAML"}
            </button>
          ))}
        </div>
        {view === "diff" ? (
          <DiffView diff={preview.diff} testId="wizard-diff" />
        ) : (
          <pre className="diff-body wizard-yaml" data-testid="wizard-yaml">
            {preview.yaml}
          </pre>
        )}
      </section>
    </div>
  );
}
