import type { ServicesResponse } from "@meshscope/model";
import { Link } from "react-router";
import { ServiceChip } from "../../components/ServiceChip";
import { traceSearchPath } from "../traces/url";

/** Counts derived from the service list, and the services as shortcuts into trace search. Pure. */
export function OverviewStats({ services }: { services: ServicesResponse["services"] }) {
  const namespaces = new Set(services.map((s) => s.namespace).filter((ns) => ns !== null));
  const names = [...new Set(services.map((s) => s.name))].sort();
  return (
    <div className="overview-stats">
      <dl className="stat-row stat-row-large">
        <div className="stat">
          <dt>Services</dt>
          <dd data-testid="overview-service-count">{names.length}</dd>
        </div>
        <div className="stat">
          <dt>Namespaces</dt>
          <dd data-testid="overview-namespace-count">{namespaces.size}</dd>
        </div>
      </dl>
      <ul className="service-links" aria-label="Services">
        {names.map((name) => (
          <li key={name}>
            <Link to={traceSearchPath({ service: name })} aria-label={`Traces of ${name}`}>
              <ServiceChip name={name} />
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
