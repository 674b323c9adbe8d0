/** Side panel of a selected app box: the app's versions and its service, with the observed split. */
import { Link } from "react-router";
import { serviceDetailPath } from "../services/url";
import type { BoxView, GraphModel } from "./graph-model";
import { versionsOf } from "./node-traffic";
import { Section } from "./panel-parts";
import { VersionList } from "./VersionList";

export function BoxDetails({ model, box, onSelect }: { model: GraphModel; box: BoxView; onSelect(id: string): void }) {
  const versions = versionsOf(model, box.id);
  const service = box.members.find((m) => model.nodeById.get(m)?.node.kind === "service");
  return (
    <div className="side-details" data-testid="box-details">
      <header className="side-header">
        <p className="side-kicker">App · {box.namespace}</p>
        <h3 className="side-title" data-testid="side-title">
          {box.label}
        </h3>
      </header>
      <Section title={`Versions (${versions.length})`} testId="node-versions">
        <VersionList rows={versions} onSelect={onSelect} />
      </Section>
      <nav className="side-links" aria-label="Related pages">
        {service && (
          <button type="button" className="link-button" onClick={() => onSelect(service)}>
            Select the {box.label} service
          </button>
        )}
        <Link to={serviceDetailPath(box.namespace, box.label)} data-testid="link-service-page">
          Service page
        </Link>
      </nav>
    </div>
  );
}
