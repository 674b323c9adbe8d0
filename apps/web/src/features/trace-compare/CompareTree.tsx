import { useMemo, useState } from "react";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { type AlignedNode, type AlignedRow, type DiffStatus, parentKeys, visibleAlignedRows } from "./align";

const STATUS_LABEL: Record<DiffStatus, string> = {
  same: "same",
  changed: "changed",
  added: "added",
  removed: "removed",
};

/**
 * The merged structure of the two traces as an indented table: per (service, operation) path, the span count
 * and total time in A and in B. The status is written in the row as well as coloured, so it does not rest on
 * colour alone. Expanded at first; each node with children folds, and so does everything at once.
 */
export function CompareTree({ roots }: { roots: readonly AlignedNode[] }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => visibleAlignedRows(roots, collapsed), [roots, collapsed]);
  const toggle = (key: string) =>
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className="compare-tree" data-testid="compare-tree">
      <div className="compare-tree-actions">
        <button
          type="button"
          className="button"
          data-testid="compare-expand-all"
          onClick={() => setCollapsed(new Set())}
        >
          Expand all
        </button>
        <button
          type="button"
          className="button"
          data-testid="compare-collapse-all"
          onClick={() => setCollapsed(parentKeys(roots))}
        >
          Collapse all
        </button>
      </div>
      <div className="compare-table-scroll">
        <table className="data-table compare-table">
          <thead>
            <tr>
              <th scope="col">Service and operation</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Spans A
              </th>
              <th scope="col" className="num">
                Spans B
              </th>
              <th scope="col" className="num">
                Time A
              </th>
              <th scope="col" className="num">
                Time B
              </th>
              <th scope="col" className="num">
                Δ time
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <CompareRow key={row.node.key} row={row} onToggle={toggle} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CompareRow({ row, onToggle }: { row: AlignedRow; onToggle: (key: string) => void }) {
  const { node } = row;
  const hasChildren = node.children.length > 0;
  return (
    <tr className={`compare-row is-${node.status}`} data-testid="compare-row" data-status={node.status}>
      <th scope="row" className="compare-cell-name">
        <div className="compare-name-inner">
          <span className="compare-indent" style={{ width: node.depth * 16 }} aria-hidden="true" />
          {hasChildren ? (
            <button
              type="button"
              className="compare-toggle"
              data-testid="compare-toggle"
              aria-expanded={!row.collapsed}
              aria-label={`${row.collapsed ? "Expand" : "Collapse"} ${node.service}: ${node.name}`}
              onClick={() => onToggle(node.key)}
            >
              {row.collapsed ? "▸" : "▾"}
            </button>
          ) : (
            <span className="compare-toggle-space" aria-hidden="true" />
          )}
          <span className="swatch" style={{ background: serviceColor(node.service) }} aria-hidden="true" />
          <span className="compare-service" data-testid="compare-service">
            {node.service}
          </span>
          <span className="compare-name" data-testid="compare-name">
            {node.name}
          </span>
        </div>
      </th>
      <td>
        <span className={`compare-status is-${node.status}`} data-testid="compare-status">
          {STATUS_LABEL[node.status]}
        </span>
      </td>
      <td className="num" data-testid="compare-count-a">
        {node.a.count}
      </td>
      <td className="num" data-testid="compare-count-b">
        {node.b.count}
      </td>
      <td className="num mono">{node.a.count > 0 ? formatDurationUs(node.a.totalUs) : "–"}</td>
      <td className="num mono">{node.b.count > 0 ? formatDurationUs(node.b.totalUs) : "–"}</td>
      <td className="num mono" data-testid="compare-delta">
        {formatDelta(node.durationDelta)}
      </td>
    </tr>
  );
}

/** +12%, −8%, 0%; "–" when one side has no spans there. */
function formatDelta(delta: number | null): string {
  if (delta === null) return "–";
  const percent = Math.round(delta * 100);
  if (percent === 0) return "0%";
  return percent > 0 ? `+${percent}%` : `−${Math.abs(percent)}%`;
}
