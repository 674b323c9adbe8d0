/** The side panel: details of the selected node, edge or app box, or the graph summary when none is selected. */
import { BoxDetails } from "./BoxDetails";
import { EdgeDetails } from "./EdgeDetails";
import { GraphSummary } from "./GraphSummary";
import type { GraphModel } from "./graph-model";
import { NodeDetails, type TimeProps } from "./NodeDetails";

export function SidePanel({
  model,
  selected,
  time,
  onSelect,
}: {
  model: GraphModel;
  selected: string | null;
  time: TimeProps;
  onSelect(id: string | null): void;
}) {
  const body = (() => {
    if (selected === null) return <GraphSummary model={model} onSelect={onSelect} />;
    const node = model.nodeById.get(selected);
    if (node) return <NodeDetails key={selected} model={model} view={node} time={time} onSelect={onSelect} />;
    const edge = model.edgeById.get(selected);
    if (edge) return <EdgeDetails model={model} view={edge} time={time} onSelect={onSelect} />;
    const box = model.boxById.get(selected);
    if (box?.boxType === "app") return <BoxDetails model={model} box={box} onSelect={onSelect} />;
    return (
      <div className="side-details" data-testid="selection-missing">
        <p className="state-title">The selected element is not in this graph</p>
        <p className="muted">It had no traffic in this window, or belongs to another graph type.</p>
      </div>
    );
  })();
  return (
    <aside className="graph-side" aria-label="Selection details" data-testid="graph-side-panel">
      {selected !== null && (
        <button
          type="button"
          className="icon-button side-close"
          aria-label="Clear the selection"
          data-testid="side-close"
          onClick={() => onSelect(null)}
        >
          ×
        </button>
      )}
      {body}
    </aside>
  );
}
