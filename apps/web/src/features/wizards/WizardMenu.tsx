import { WIZARDS, type WizardName } from "@meshscope/model";
import { useRef, useState } from "react";
import { ReadOnlyReason, useMeshEditPermission } from "../auth/MeshEditGuard";
import { WIZARD_HINTS, WIZARD_TITLES } from "./form-state";
import { WizardDialog } from "./WizardDialog";

/**
 * "Configure traffic": a disclosure listing the wizards for one service; picking one opens its dialog. A
 * disclosure (<details>) rather than an ARIA menu: it is keyboard- and screen-reader-friendly without a
 * hand-written focus manager.
 */
export function WizardMenu({
  namespace,
  service,
  label = "Configure traffic",
}: {
  namespace: string;
  service: string;
  label?: string;
}) {
  const [open, setOpen] = useState<WizardName | null>(null);
  const details = useRef<HTMLDetailsElement>(null);
  const permission = useMeshEditPermission();
  // A wizard exists to apply config: a viewer gets the button disabled with the reason, not a dialog whose last
  // step cannot work. (A <summary> cannot be disabled, hence a plain button in its place.)
  if (!permission.allowed) {
    return (
      <div className="wizard-menu" data-testid="wizard-menu">
        <button type="button" className="button" disabled title={permission.reason} data-testid="wizard-menu-button">
          {label} ▾
        </button>
        <ReadOnlyReason permission={permission} />
      </div>
    );
  }
  return (
    <>
      <details className="wizard-menu" ref={details} data-testid="wizard-menu">
        <summary className="button" data-testid="wizard-menu-button">
          {label} ▾
        </summary>
        <ul className="wizard-menu-list">
          {WIZARDS.map((w) => (
            <li key={w}>
              <button
                type="button"
                className="wizard-menu-item"
                title={WIZARD_HINTS[w]}
                data-testid={`wizard-open-${w}`}
                onClick={() => {
                  if (details.current) details.current.open = false;
                  setOpen(w);
                }}
              >
                {WIZARD_TITLES[w]}
              </button>
            </li>
          ))}
        </ul>
      </details>
      {open && <WizardDialog wizard={open} namespace={namespace} service={service} onClose={() => setOpen(null)} />}
    </>
  );
}
