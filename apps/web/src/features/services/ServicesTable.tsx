import type { ServicesResponse } from "@meshscope/model";
import { Link } from "react-router";
import { ServiceChip } from "../../components/ServiceChip";
import { traceSearchPath } from "../traces/url";
import { serviceDetailPath } from "./url";

/** Known services, by namespace then name. Pure. */
export function ServicesTable({ services }: { services: ServicesResponse["services"] }) {
  const sorted = [...services].sort(
    (a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name),
  );
  return (
    <table className="data-table" data-testid="services-table">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Namespace</th>
          <th scope="col">Health</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((s) => (
          <tr key={`${s.namespace ?? ""}/${s.name}`} data-testid="service-row">
            <td>
              <Link to={serviceDetailPath(s.namespace, s.name)}>
                <ServiceChip name={s.name} />
              </Link>
            </td>
            <td>{s.namespace ?? <span className="muted">—</span>}</td>
            <td>
              <span className="badge badge-neutral">unknown</span>
            </td>
            <td className="align-right">
              <Link to={traceSearchPath({ service: s.name })}>Traces</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
