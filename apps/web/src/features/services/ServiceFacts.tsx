import type { ServiceDetailResponse } from "@meshscope/model";
import { HealthBadge } from "../../components/HealthBadge";

const SOURCE_LABEL = { mesh: "Mesh metrics", traces: "Spans", both: "Mesh metrics and spans" } as const;

/** Health, where the service is known from, its versions and workloads. Pure. */
export function ServiceFacts({ detail }: { detail: ServiceDetailResponse }) {
  return (
    <dl className="facts" data-testid="service-facts">
      <div className="fact">
        <dt>Health</dt>
        <dd>
          <HealthBadge health={detail.health} />
        </dd>
      </div>
      <div className="fact">
        <dt>Known from</dt>
        <dd>{SOURCE_LABEL[detail.source]}</dd>
      </div>
      <div className="fact">
        <dt>Versions</dt>
        <dd>
          {detail.versions.length === 0 ? (
            <span className="muted">none seen</span>
          ) : (
            <ul className="chip-row" data-testid="service-versions">
              {detail.versions.map((v) => (
                <li key={v} className="version-chip">
                  {v}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div className="fact">
        <dt>Workloads</dt>
        <dd>
          {detail.workloads.length === 0 ? (
            <span className="muted">none seen</span>
          ) : (
            <ul className="plain-list mono" data-testid="service-workloads">
              {detail.workloads.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}
