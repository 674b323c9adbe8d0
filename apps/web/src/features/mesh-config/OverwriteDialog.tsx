import { DiffView } from "./DiffView";
import { ConfirmDialog } from "./Modal";
import type { OverwriteRefusal } from "./overwrite";

/** The second confirmation before replacing objects Meshscope did not write: which ones, and the exact diff. */
export function OverwriteDialog({
  refusal,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  refusal: OverwriteRefusal;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <ConfirmDialog
      title="Overwrite objects Meshscope did not write?"
      confirmLabel="Overwrite"
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
      testId="overwrite-dialog"
    >
      <p>{refusal.message}</p>
      {refusal.unmanaged.length > 0 && (
        <ul className="change-list">
          {refusal.unmanaged.map((c) => (
            <li key={`${c.ref.kind}/${c.ref.namespace}/${c.ref.name}`} className="mono">
              {c.action} {c.ref.kind} {c.ref.namespace}/{c.ref.name}
            </li>
          ))}
        </ul>
      )}
      <DiffView diff={refusal.diff} testId="overwrite-diff" />
    </ConfirmDialog>
  );
}
