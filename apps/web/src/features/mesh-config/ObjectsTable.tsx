import type { MeshObjectEntry, ObjectRef } from "@meshscope/model";
import { countBySeverity } from "./ValidationList";

function sameRef(a: ObjectRef | null, b: ObjectRef): boolean {
  return a !== null && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** Validation status as an icon with counts; the words are there for screen readers and tooltips. */
export function ValidationStatus({ entry }: { entry: MeshObjectEntry }) {
  const { errors, warnings } = countBySeverity(entry.validation);
  const state = errors > 0 ? "error" : warnings > 0 ? "warning" : "ok";
  const words = state === "ok" ? "Valid" : `${errors} error(s), ${warnings} warning(s)`;
  return (
    <span className={`validation-status is-${state}`} title={words} data-testid="validation-status" data-state={state}>
      <span aria-hidden="true">{state === "error" ? "✖" : state === "warning" ? "▲" : "✔"}</span>
      {state === "ok" ? (
        <span className="visually-hidden">{words}</span>
      ) : (
        <span>{errors > 0 ? errors : warnings}</span>
      )}
      {state === "ok" ? null : <span className="visually-hidden"> {words}</span>}
    </span>
  );
}

export function ObjectsTable({
  objects,
  selected,
  onOpen,
}: {
  objects: readonly MeshObjectEntry[];
  selected: ObjectRef | null;
  onOpen(ref: ObjectRef): void;
}) {
  return (
    <table className="data-table mesh-objects" data-testid="mesh-objects-table">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Namespace</th>
          <th scope="col">Name</th>
          <th scope="col">Source</th>
          <th scope="col">Managed</th>
          <th scope="col">Validation</th>
        </tr>
      </thead>
      <tbody>
        {objects.map((o) => (
          <tr
            key={`${o.ref.kind}/${o.ref.namespace}/${o.ref.name}`}
            className={sameRef(selected, o.ref) ? "is-selected" : undefined}
            data-testid="mesh-object-row"
            data-kind={o.ref.kind}
            data-name={o.ref.name}
            data-namespace={o.ref.namespace}
          >
            <td>{o.ref.kind}</td>
            <td>{o.ref.namespace}</td>
            <td>
              <button
                type="button"
                className="link-button"
                onClick={() => onOpen(o.ref)}
                data-testid="mesh-object-open"
              >
                {o.ref.name}
              </button>
            </td>
            <td className="mono cell-source">{o.source}</td>
            <td>
              {o.managed ? (
                <span className="badge badge-neutral" data-testid="managed-badge">
                  Meshscope{o.wizard ? ` · ${o.wizard}` : ""}
                </span>
              ) : (
                <span className="muted">external</span>
              )}
            </td>
            <td>
              <ValidationStatus entry={o} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
