import { type ReactNode, useEffect, useId, useRef } from "react";

/**
 * An accessible modal on the native <dialog>: `showModal()` gives the focus trap, the inert background, Escape
 * to close and the `aria-modal` semantics, so none of that is re-implemented here.
 */
export function Modal({
  title,
  onClose,
  children,
  footer,
  testId,
  wide = false,
}: {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? "modal modal-wide" : "modal"}
      aria-labelledby={headingId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: let React own the open state instead of the browser closing the element behind its back.
        e.preventDefault();
        onClose();
      }}
    >
      <header className="modal-header">
        <h2 id={headingId} className="modal-title">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose} data-testid="modal-close">
          ✕
        </button>
      </header>
      <div className="modal-body">{children}</div>
      {footer && <footer className="modal-footer">{footer}</footer>}
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out; the confirm button says what it does. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  testId = "confirm-dialog",
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      testId={testId}
      footer={
        <>
          {error && (
            <p className="field-error modal-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={onConfirm}
            data-testid="confirm-button"
          >
            {busy ? "Working…" : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
