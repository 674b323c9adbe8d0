import type { MeshObjectEntry } from "@meshscope/model";
import { useEffect, useRef, useState } from "react";
import { ReadOnlyReason, useMeshEditPermission } from "../auth/MeshEditGuard";
import { ConfirmDialog } from "./Modal";
import { OverwriteDialog } from "./OverwriteDialog";
import { type OverwriteRefusal, overwriteRefusal } from "./overwrite";
import { useDeleteObjectMutation, useSaveObjectMutation } from "./queries";
import { useEditorValidation } from "./useEditorValidation";
import { ValidationList } from "./ValidationList";
import { YamlEditor, type YamlEditorHandle } from "./YamlEditor";

/**
 * One object as YAML: edit with inline validation, Save (PUT) when the text changed and has no errors, Delete
 * after a confirmation naming the object and where it lives.
 */
export function ObjectEditor({ entry, onClose }: { entry: MeshObjectEntry; onClose(): void }) {
  const [draft, setDraft] = useState(entry.yaml);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** A save or delete refused because the object is not Meshscope's: what to redo once the user confirms. */
  const [refused, setRefused] = useState<{ refusal: OverwriteRefusal; action: "save" | "delete" } | null>(null);
  const editor = useRef<YamlEditorHandle>(null);
  const validation = useEditorValidation(draft);
  const save = useSaveObjectMutation();
  const remove = useDeleteObjectMutation();
  const dirty = draft !== entry.yaml;
  const permission = useMeshEditPermission();
  const readOnly = !permission.allowed;
  // After a save the list refetches and the entry comes back as the server serialises it: adopt that text once,
  // so the editor shows what is stored and "dirty" means unsaved edits again. The stored text before the save is
  // kept to tell the refetched entry from the old one: the mutation's callback can run before the refetched list
  // reaches this component, and adopting then would put the old text back in the editor.
  const [adoptFrom, setAdoptFrom] = useState<string | null>(null);
  useEffect(() => {
    if (adoptFrom === null || entry.yaml === adoptFrom) return;
    setDraft(entry.yaml);
    setAdoptFrom(null);
  }, [entry.yaml, adoptFrom]);
  const { ref } = entry;
  const runSave = (confirmOverwrite: boolean) =>
    save.mutate(
      { ref, yaml: draft, confirmOverwrite },
      {
        onSuccess: (response) => {
          setRefused(null);
          // No revision: the stored object did not change, so the text already listed is what is stored.
          if (response.revision === null) setDraft(entry.yaml);
          else setAdoptFrom(entry.yaml);
        },
        onError: (error) => {
          const refusal = overwriteRefusal(error);
          if (refusal) setRefused({ refusal, action: "save" });
        },
      },
    );
  const runDelete = (confirmOverwrite: boolean) =>
    remove.mutate(
      { ref, confirmOverwrite },
      {
        onSuccess: onClose,
        onError: (error) => {
          const refusal = overwriteRefusal(error);
          if (refusal) {
            setConfirmDelete(false);
            setRefused({ refusal, action: "delete" });
          }
        },
      },
    );

  return (
    <section
      className="object-editor"
      aria-label={`${ref.kind} ${ref.namespace}/${ref.name}`}
      data-testid="object-editor"
    >
      <header className="object-editor-head">
        <div>
          <p className="side-kicker">
            {ref.kind} · {ref.namespace}
          </p>
          <h3 className="object-editor-title" data-testid="object-editor-title">
            {ref.name}
          </h3>
          <p className="muted mono object-source">{entry.source}</p>
        </div>
        <div className="object-editor-actions">
          <button
            type="button"
            className="button button-primary"
            disabled={readOnly || !dirty || validation.errors > 0 || save.isPending}
            title={readOnly ? permission.reason : undefined}
            onClick={() => runSave(false)}
            data-testid="object-save"
          >
            {save.isPending ? "Saving…" : "Save"}
          </button>
          <button type="button" className="button" disabled={!dirty} onClick={() => setDraft(entry.yaml)}>
            Revert
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={readOnly}
            title={readOnly ? permission.reason : undefined}
            onClick={() => setConfirmDelete(true)}
            data-testid="object-delete"
          >
            Delete
          </button>
          <button type="button" className="button" onClick={onClose} data-testid="object-close">
            Close
          </button>
        </div>
      </header>
      <ReadOnlyReason permission={permission} />
      {!entry.managed && !readOnly && (
        <p className="notice" data-testid="object-unmanaged">
          Not written by Meshscope: saving or deleting it first shows the diff and asks to confirm the overwrite.
        </p>
      )}
      {save.isSuccess && !dirty && (
        <p className="notice notice-ok" role="status" data-testid="object-saved">
          Saved{save.data.revision !== null ? ` as revision #${save.data.revision}` : " (no change)"}.
        </p>
      )}
      {save.isError && !refused && (
        <p className="field-error" role="alert" data-testid="object-save-error">
          Save failed: {save.error.message}
        </p>
      )}
      <YamlEditor
        ref={editor}
        value={draft}
        onChange={setDraft}
        marks={validation.marks}
        label={`YAML of ${ref.kind} ${ref.name}`}
        readOnly={readOnly}
      />
      <div className="editor-validation" aria-live="polite">
        <h4 className="side-section-title">
          Validation {validation.pending && <span className="muted">(checking…)</span>}
        </h4>
        {validation.error && <p className="field-error">Could not validate: {validation.error.message}</p>}
        <ValidationList findings={validation.findings} onLine={(line) => editor.current?.goToLine(line)} />
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${ref.kind} ${ref.name}?`}
          confirmLabel="Delete"
          busy={remove.isPending}
          error={remove.error?.message ?? null}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => runDelete(false)}
          testId="delete-dialog"
        >
          <p>
            This removes <span className="mono">{`${ref.namespace}/${ref.name}`}</span> from{" "}
            <span className="mono">{entry.source}</span> and records a revision you can roll back.
          </p>
        </ConfirmDialog>
      )}
      {refused && (
        <OverwriteDialog
          refusal={refused.refusal}
          busy={save.isPending || remove.isPending}
          error={null}
          onCancel={() => setRefused(null)}
          onConfirm={() => (refused.action === "save" ? runSave(true) : runDelete(true))}
        />
      )}
    </section>
  );
}
