import { formatPercent, formatRps } from "./format";
import type { VersionRow } from "./node-traffic";

/** The versions of an app or service with their observed split; each selects its node on the graph. */
export function VersionList({ rows, onSelect }: { rows: readonly VersionRow[]; onSelect(id: string): void }) {
  return (
    <ul className="version-list">
      {rows.map((r) => (
        <li key={r.id} className="version-row" data-testid="node-version" data-version={r.version}>
          <span className={`health-dot health-${r.health}`} aria-hidden="true" />
          <button type="button" className="link-button version-name" onClick={() => onSelect(r.id)}>
            {r.version}
          </button>
          <span className="version-bar" aria-hidden="true">
            <span className="version-bar-fill" style={{ width: `${Math.round(r.share * 100)}%` }} />
          </span>
          <span className="version-rps">{formatRps(r.rps)} rps</span>
          <span className="version-share muted">{formatPercent(r.share)}</span>
        </li>
      ))}
    </ul>
  );
}
