/** The statistics view: per service (or service and operation) counts, durations and self time; sortable. */
import { useMemo, useState } from "react";
import { serviceColor } from "../../components/service-color";
import { groupThousands } from "../../format/count";
import { formatDurationUs } from "../../format/duration";
import { selfTimes } from "./self-time";
import type { TraceModel } from "./trace-model";
import { type StatsColumn, type StatsGrouping, sortStats, traceStats } from "./trace-stats";

interface Column {
  key: StatsColumn;
  label: string;
  format?: (v: number) => string;
}

const COLUMNS: Column[] = [
  { key: "count", label: "Count" },
  { key: "errors", label: "Errors" },
  { key: "totalUs", label: "Total", format: formatDurationUs },
  { key: "avgUs", label: "Avg", format: formatDurationUs },
  { key: "minUs", label: "Min", format: formatDurationUs },
  { key: "maxUs", label: "Max", format: formatDurationUs },
  { key: "selfTotalUs", label: "Self total", format: formatDurationUs },
  { key: "selfAvgUs", label: "Self avg", format: formatDurationUs },
  { key: "selfMinUs", label: "Self min", format: formatDurationUs },
  { key: "selfMaxUs", label: "Self max", format: formatDurationUs },
  { key: "selfShare", label: "Self %", format: (v) => `${(v * 100).toFixed(1)}%` },
];

function SortHeader({
  column,
  label,
  sort,
  onSort,
}: {
  column: StatsColumn;
  label: string;
  sort: { column: StatsColumn; desc: boolean };
  onSort: (c: StatsColumn) => void;
}) {
  const active = sort.column === column;
  return (
    <th scope="col" aria-sort={active ? (sort.desc ? "descending" : "ascending") : "none"}>
      <button type="button" className="link-button" data-testid={`stats-sort-${column}`} onClick={() => onSort(column)}>
        {label}
        {active ? (sort.desc ? " ▾" : " ▴") : ""}
      </button>
    </th>
  );
}

export function TraceStatsView({ model }: { model: TraceModel }) {
  const [grouping, setGrouping] = useState<StatsGrouping>("operation");
  const [sort, setSort] = useState<{ column: StatsColumn; desc: boolean }>({ column: "selfTotalUs", desc: true });
  const self = useMemo(() => selfTimes(model), [model]);
  const rows = useMemo(
    () => sortStats(traceStats(model, self, grouping), sort.column, sort.desc),
    [model, self, grouping, sort],
  );
  const onSort = (column: StatsColumn) =>
    setSort((s) => ({ column, desc: s.column === column ? !s.desc : column !== "service" && column !== "operation" }));
  return (
    <div className="trace-stats" data-testid="trace-stats">
      <div className="trace-stats-controls" role="radiogroup" aria-label="Group by">
        <span className="muted">Group by</span>
        {(["service", "operation"] as const).map((g) => (
          <label key={g}>
            <input
              type="radio"
              name="stats-grouping"
              checked={grouping === g}
              onChange={() => setGrouping(g)}
              data-testid={`stats-group-${g}`}
            />{" "}
            {g === "service" ? "Service" : "Service and operation"}
          </label>
        ))}
      </div>
      <div className="table-scroll">
        <table className="data-table stats-table">
          <thead>
            <tr>
              <SortHeader column="service" label="Service" sort={sort} onSort={onSort} />
              {grouping === "operation" && (
                <SortHeader column="operation" label="Operation" sort={sort} onSort={onSort} />
              )}
              {COLUMNS.map((c) => (
                <SortHeader key={c.key} column={c.key} label={c.label} sort={sort} onSort={onSort} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid="stats-row">
                <td>
                  <span className="swatch" style={{ background: serviceColor(r.service) }} aria-hidden="true" />{" "}
                  {r.service}
                </td>
                {grouping === "operation" && <td data-testid="stats-operation">{r.operation}</td>}
                {COLUMNS.map((c) => {
                  const v = r[c.key];
                  return (
                    <td key={c.key} className="align-right mono" data-testid={`stats-${c.key}`}>
                      {typeof v === "number" ? (c.format ? c.format(v) : groupThousands(v)) : v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
