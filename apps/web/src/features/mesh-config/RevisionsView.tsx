import type { RevisionSummary } from "@meshscope/model";
import { useState } from "react";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { formatTimestampUs as formatTimeUs } from "../../format/time";
import { ReadOnlyReason, useMeshEditPermission } from "../auth/MeshEditGuard";
import { DiffView } from "./DiffView";
import { ConfirmDialog } from "./Modal";
import { OverwriteDialog } from "./OverwriteDialog";
import { type OverwriteRefusal, overwriteRefusal } from "./overwrite";
import { useRevisionQuery, useRevisionsQuery, useRollbackMutation } from "./queries";

/** The revision recorded just before `id` (the list is newest first), null for the first one. */
function previousOf(revisions: readonly RevisionSummary[], id: number): number | null {
  const older = revisions.filter((r) => r.id < id).map((r) => r.id);
  return older.length > 0 ? Math.max(...older) : null;
}

function objectsText(r: RevisionSummary): string {
  return r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`).join(", ");
}

/** The revision list (newest first) and, for the open one, its diff and a rollback. */
export function RevisionsView({ open, onOpen }: { open: number | null; onOpen(id: number | null): void }) {
  const query = useRevisionsQuery();
  return (
    <div className={open === null ? "revisions" : "revisions has-detail"}>
      <QueryView
        query={query}
        loadingLabel="Loading revisions…"
        errorTitle="Could not load revisions"
        isEmpty={(d) => d.revisions.length === 0}
        empty={<EmptyState title="No revisions yet" testId="revisions-empty" />}
      >
        {(d) => (
          <table className="data-table" data-testid="revisions-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Author</th>
                <th scope="col">Message</th>
                <th scope="col">Wizard</th>
                <th scope="col">Objects</th>
              </tr>
            </thead>
            <tbody>
              {d.revisions.map((r) => (
                <tr
                  key={r.id}
                  className={r.id === open ? "is-selected" : undefined}
                  data-testid="revision-row"
                  data-revision={r.id}
                >
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onOpen(r.id)}
                      data-testid="revision-open"
                    >
                      {r.id}
                    </button>
                  </td>
                  <td className="nowrap">{formatTimeUs(r.time)}</td>
                  <td>{r.author}</td>
                  <td>
                    {r.message}
                    {r.rollbackOf !== null && <span className="muted"> (rollback to #{r.rollbackOf})</span>}
                  </td>
                  <td>{r.wizard ?? <span className="muted">—</span>}</td>
                  <td className="cell-objects">{objectsText(r)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
      {open !== null && (
        <RevisionDetailView
          id={open}
          previous={previousOf(query.data?.revisions ?? [], open)}
          onClose={() => onOpen(null)}
        />
      )}
    </div>
  );
}

type RollbackChoice = { to: number; label: string; explain: string };

/** The two rollbacks a revision offers: restore the state right after it, or undo it (restore the state before it). */
function rollbackChoices(id: number, previous: number | null): RollbackChoice[] {
  return [
    {
      to: previous ?? 0,
      label: "Undo this revision",
      explain: `The objects changed by #${id} and by any later revision go back to how they were before #${id}.`,
    },
    {
      to: id,
      label: "Roll back to this revision",
      explain: `The objects changed after #${id} go back to how they were right after it.`,
    },
  ];
}

function RevisionDetailView({ id, previous, onClose }: { id: number; previous: number | null; onClose(): void }) {
  const query = useRevisionQuery(id);
  const rollback = useRollbackMutation();
  const permission = useMeshEditPermission();
  const [choice, setChoice] = useState<RollbackChoice | null>(null);
  const [refusal, setRefusal] = useState<OverwriteRefusal | null>(null);
  const run = (to: number, confirmOverwrite: boolean) =>
    rollback.mutate(
      { id: to, confirmOverwrite },
      {
        onSuccess: () => {
          setChoice(null);
          setRefusal(null);
        },
        onError: (error) => {
          const refused = overwriteRefusal(error);
          if (refused) {
            setChoice(null);
            setRefusal(refused);
          }
        },
      },
    );
  const choices = rollbackChoices(id, previous);
  return (
    <section className="revision-detail" aria-label={`Revision ${id}`} data-testid="revision-detail">
      <header className="object-editor-head">
        <div>
          <p className="side-kicker">Revision</p>
          <h3 className="object-editor-title">#{id}</h3>
        </div>
        <div className="object-editor-actions">
          {choices.map((c, i) => (
            <button
              key={c.label}
              type="button"
              className={i === 0 ? "button button-danger" : "button"}
              title={permission.allowed ? c.explain : permission.reason}
              disabled={!permission.allowed}
              onClick={() => setChoice(c)}
              data-testid={i === 0 ? "revision-undo" : "revision-rollback"}
            >
              {c.label}
            </button>
          ))}
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      <ReadOnlyReason permission={permission} />
      {rollback.isSuccess && (
        <p className="notice notice-ok" role="status" data-testid="rollback-done">
          Done: revision #{rollback.data.id} restored the objects as they were{" "}
          {rollback.data.rollbackOf === 0
            ? "before the first recorded revision"
            : `after #${rollback.data.rollbackOf ?? "?"}`}
          .
        </p>
      )}
      <QueryView query={query} loadingLabel="Loading the diff…" errorTitle="Could not load this revision">
        {(r) => (
          <>
            <p className="muted">
              {formatTimeUs(r.time)} · {r.author} · {r.message || "no message"}
            </p>
            <DiffView diff={r.diff} testId="revision-diff" />
          </>
        )}
      </QueryView>
      {choice && (
        <ConfirmDialog
          title={`${choice.label}?`}
          confirmLabel={choice.label}
          busy={rollback.isPending}
          error={rollback.error?.message ?? null}
          onCancel={() => setChoice(null)}
          onConfirm={() => run(choice.to, false)}
          testId="rollback-dialog"
        >
          <p>{choice.explain} The rollback is itself recorded as a new revision.</p>
        </ConfirmDialog>
      )}
      {refusal && (
        <OverwriteDialog
          refusal={refusal}
          busy={rollback.isPending}
          error={rollback.isError && !overwriteRefusal(rollback.error) ? rollback.error.message : null}
          onCancel={() => setRefusal(null)}
          onConfirm={() => run(rollback.variables?.id ?? id, true)}
        />
      )}
    </section>
  );
}
