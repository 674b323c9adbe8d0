import { Link } from "react-router";
import { pathWithShell, type ShellState } from "../../app/shell-url";
import { formatPercent, formatRps } from "../../components/format-metrics";
import { HealthBadge } from "../../components/HealthBadge";
import type { EdgeEnd, FailingEdge } from "./overview-data";

function End({ end }: { end: EdgeEnd }) {
  return (
    <span className="edge-end">
      {end.label}
      {end.isService && <span className="node-kind">service</span>}
    </span>
  );
}

/** The mesh's worst edges, each a link to the graph with that edge selected (`/graph?sel=<edge id>`, the graph page's selection key). Pure. */
export function FailingEdges({ edges, shell }: { edges: readonly FailingEdge[]; shell: ShellState }) {
  return (
    <table className="data-table" data-testid="failing-edges">
      <thead>
        <tr>
          <th scope="col">Edge</th>
          <th scope="col">Health</th>
          <th scope="col" className="num">
            Error ratio
          </th>
          <th scope="col" className="num">
            Requests/s
          </th>
        </tr>
      </thead>
      <tbody>
        {edges.map(({ edge, source, target }) => (
          <tr key={edge.id} data-testid="failing-edge" data-edge-id={edge.id}>
            <td>
              <Link
                to={pathWithShell("/graph", shell, { sel: edge.id })}
                className="edge-link"
                aria-label={`${source.label}${source.isService ? " service" : ""} to ${target.label}${target.isService ? " service" : ""}: open in the graph`}
              >
                <End end={source} />
                <span className="edge-arrow" aria-hidden="true">
                  →
                </span>
                <End end={target} />
                <span className="edge-protocol">{edge.protocol}</span>
              </Link>
            </td>
            <td>
              <HealthBadge health={edge.health} />
            </td>
            <td className="num text-error">{formatPercent(edge.errorRate)}</td>
            <td className="num">{formatRps(edge.rps)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
