import { Link } from "react-router";
import { QueryView } from "../../components/QueryView";
import { EmptyState } from "../../components/states";
import { ValidationStatus } from "../mesh-config/ObjectsTable";
import { useMeshObjectsQuery } from "../mesh-config/queries";
import { meshConfigPath } from "../mesh-config/url";
import { objectsForService } from "./service-objects";
import { WizardMenu } from "./WizardMenu";

/** The mesh config objects that apply to one service, each a link into the editor, and the wizards for it. */
export function ServiceMeshConfig({ namespace, service }: { namespace: string; service: string }) {
  const query = useMeshObjectsQuery();
  return (
    <div className="service-mesh-config" data-testid="service-mesh-config">
      <div className="service-mesh-actions">
        <WizardMenu namespace={namespace} service={service} />
      </div>
      <QueryView query={query} loadingLabel="Loading mesh config…" errorTitle="Could not load the mesh config">
        {(data) => {
          const mine = objectsForService(data.objects, namespace, service);
          if (mine.length === 0) {
            return (
              <EmptyState title="None" testId="service-mesh-config-none">
                <p>
                  No VirtualService, DestinationRule or policy applies to <span className="mono">{service}</span>: its
                  traffic follows the mesh defaults.
                </p>
              </EmptyState>
            );
          }
          return (
            <ul className="service-objects" data-testid="service-mesh-objects">
              {mine.map((o) => (
                <li key={`${o.ref.kind}/${o.ref.namespace}/${o.ref.name}`} data-testid="service-mesh-object">
                  <ValidationStatus entry={o} />
                  <span className="muted">{o.ref.kind}</span>
                  <Link to={meshConfigPath({ object: o.ref })}>
                    {o.ref.namespace}/{o.ref.name}
                  </Link>
                  {o.managed && (
                    <span className="badge badge-neutral">Meshscope{o.wizard ? ` · ${o.wizard}` : ""}</span>
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </div>
  );
}
