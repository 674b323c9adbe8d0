/** The graph's controls: type, layout, edge labels, find/hide, animation, replay, fit and re-layout. */
import type { GraphType } from "@meshscope/model";
import { FindHelp } from "./FindHelp";
import { FindInput } from "./FindInput";
import { ReplayControls } from "./ReplayControls";
import { EDGE_LABELS, type EdgeLabel, GRAPH_TYPES, type GraphViewState, LAYOUTS, type LayoutName } from "./url";

export interface GraphToolbarProps {
  view: GraphViewState;
  animate: boolean;
  findStatus: string | null;
  hideStatus: string | null;
  layoutRunning: boolean;
  onChange(patch: Partial<GraphViewState>, options?: { replace?: boolean }): void;
  onFit(): void;
  onRelayout(): void;
}

function isGraphType(v: string): v is GraphType {
  return GRAPH_TYPES.some((t) => t.value === v);
}
function isLayout(v: string): v is LayoutName {
  return LAYOUTS.some((l) => l.value === v);
}

function LabelPicker({ labels, onChange }: { labels: readonly EdgeLabel[]; onChange(next: EdgeLabel[]): void }) {
  const summary =
    labels.length === 0
      ? "none"
      : labels.length === 1
        ? (EDGE_LABELS.find((l) => l.value === labels[0])?.label ?? "")
        : `${labels.length} shown`;
  return (
    <details className="label-picker" data-testid="edge-labels">
      <summary className="button">Edge labels: {summary}</summary>
      <fieldset className="label-picker-menu">
        <legend className="visually-hidden">Edge labels</legend>
        {EDGE_LABELS.map((l) => (
          <label key={l.value} className="check">
            <input
              type="checkbox"
              checked={labels.includes(l.value)}
              data-testid={`edge-label-${l.value}`}
              onChange={(e) => {
                const set = new Set(labels);
                if (e.target.checked) set.add(l.value);
                else set.delete(l.value);
                onChange(EDGE_LABELS.map((x) => x.value).filter((v) => set.has(v)));
              }}
            />
            {l.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

export function GraphToolbar(props: GraphToolbarProps) {
  const { view, onChange } = props;
  return (
    <div className="graph-toolbar" data-testid="graph-toolbar">
      <div className="toolbar-row">
        <label className="toolbar-field">
          <span>Graph type</span>
          <select
            className="input"
            value={view.type}
            data-testid="graph-type"
            onChange={(e) => {
              const v = e.target.value;
              if (isGraphType(v)) onChange({ type: v, selected: null });
            }}
          >
            {GRAPH_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span>Layout</span>
          <select
            className="input"
            value={view.layout}
            data-testid="graph-layout"
            onChange={(e) => {
              const v = e.target.value;
              if (isLayout(v)) onChange({ layout: v });
            }}
          >
            {LAYOUTS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <LabelPicker labels={view.labels} onChange={(labels) => onChange({ labels }, { replace: true })} />
        <label className="check toolbar-check">
          <input
            type="checkbox"
            checked={props.animate}
            data-testid="graph-animate"
            onChange={(e) => onChange({ animate: e.target.checked }, { replace: true })}
          />
          Traffic animation
        </label>
        <span className="toolbar-spacer" />
        <ReplayControls
          end={view.end}
          onChange={(end) => onChange({ end }, { replace: view.end !== null && end !== null })}
        />
        <button type="button" className="button" onClick={props.onFit} data-testid="graph-fit">
          Fit
        </button>
        <button
          type="button"
          className="button"
          onClick={props.onRelayout}
          disabled={props.layoutRunning}
          data-testid="graph-relayout"
        >
          {props.layoutRunning ? "Laying out…" : "Re-layout"}
        </button>
      </div>
      <div className="toolbar-row toolbar-find">
        <FindInput
          label="Find"
          value={view.find}
          placeholder="e.g. rps > 10, health = failure, name = reviews"
          status={props.findStatus}
          testId="graph-find"
          onCommit={(find) => onChange({ find }, { replace: true })}
        />
        <FindInput
          label="Hide"
          value={view.hide}
          placeholder="e.g. idle or protocol = tcp"
          status={props.hideStatus}
          testId="graph-hide"
          onCommit={(hide) => onChange({ hide }, { replace: true })}
        />
        <FindHelp />
      </div>
    </div>
  );
}
