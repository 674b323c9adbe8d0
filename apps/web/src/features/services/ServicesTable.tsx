import type { ServiceSummary } from "@meshscope/model";
import { Link } from "react-router";
import { pathWithShell, type ShellState } from "../../app/shell-url";
import { formatMs, formatPercent, formatRps } from "../../components/format-metrics";
import { HealthBadge } from "../../components/HealthBadge";
import { ServiceChip } from "../../components/ServiceChip";
import { traceSearchPath } from "../traces/url";
import { type SortKey, type SortOrder, serviceDetailPath, sortServices } from "./url";

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: "health", label: "Health" },
  { key: "name", label: "Service" },
  { key: "namespace", label: "Namespace" },
  { key: "rps", label: "Requests/s", numeric: true },
  { key: "errors", label: "Error ratio", numeric: true },
  { key: "p95", label: "p95 latency", numeric: true },
];

/**
 * The services of the window, one row each, sortable by every metric column (the header buttons set `?sort=`).
 * Names are untrusted (they come from telemetry) and are only ever rendered as text. Pure.
 */
export function ServicesTable({
  services,
  sort,
  onSort,
  shell,
}: {
  services: readonly ServiceSummary[];
  sort: SortOrder;
  onSort: (key: SortKey) => void;
  shell: ShellState;
}) {
  const rows = sortServices(services, sort);
  return (
    <div className="table-scroll">
      <table className="data-table services-table" data-testid="services-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.numeric ? "num" : undefined}
                aria-sort={sort.key === c.key ? (sort.descending ? "descending" : "ascending") : undefined}
              >
                <button
                  type="button"
                  className="sort-button"
                  onClick={() => onSort(c.key)}
                  data-testid={`sort-${c.key}`}
                >
                  {c.label}
                  <span className="sort-arrow" aria-hidden="true">
                    {sort.key === c.key ? (sort.descending ? "▼" : "▲") : ""}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">Versions</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <ServiceRow key={`${s.namespace ?? ""}/${s.name}`} s={s} shell={shell} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ServiceRow({ s, shell }: { s: ServiceSummary; shell: ShellState }) {
  const traceOnly = s.source === "traces";
  return (
    <tr data-testid="service-row" data-service={s.name} data-namespace={s.namespace ?? ""}>
      <td>
        <HealthBadge health={s.health} />
      </td>
      <td className="cell-service" title={s.name}>
        <Link to={pathWithShell(serviceDetailPath(s.namespace, s.name), shell)} data-testid="service-link">
          <ServiceChip name={s.name} />
        </Link>
      </td>
      <td>{s.namespace ?? <span className="muted">—</span>}</td>
      <td className="num" data-testid="service-rps">
        {traceOnly ? <span className="muted">—</span> : formatRps(s.inboundRps)}
      </td>
      <td className={s.errorRate > 0 ? "num text-error" : "num"} data-testid="service-error-rate">
        {traceOnly ? <span className="muted">—</span> : formatPercent(s.errorRate)}
      </td>
      <td className="num">{formatMs(s.p95Ms)}</td>
      <td>
        {s.versions.length > 0 ? (
          <ul className="chip-row" aria-label={`Versions of ${s.name}`}>
            {s.versions.map((v) => (
              <li key={v} className="version-chip" data-testid="service-version" title={v}>
                {v}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">{traceOnly ? "spans only" : "—"}</span>
        )}
      </td>
      <td className="align-right">
        <Link to={traceSearchPath({ service: s.traceService ?? s.name })} aria-label={`Traces of ${s.name}`}>
          Traces
        </Link>
      </td>
    </tr>
  );
}
