/**
 * The trace graph view: services and operations as a DAG (trace-graph.ts lays it out), drawn as SVG. Every name
 * is an SVG <text> child (React text, never markup), shortened for the box with the full name in a <title>.
 */
import { useMemo } from "react";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { selfTimes } from "./self-time";
import { buildTraceGraph, GRAPH_NODE, type GraphNode } from "./trace-graph";
import type { TraceModel } from "./trace-model";

const PAD = 16;

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function NodeBox({ node }: { node: GraphNode }) {
  const colour = serviceColor(node.service);
  return (
    <g
      transform={`translate(${node.x + PAD},${node.y + PAD})`}
      data-testid="graph-node"
      className={node.errors > 0 ? "tg-node has-errors" : "tg-node"}
    >
      <title>{`${node.service}: ${node.operation}`}</title>
      <rect width={GRAPH_NODE.width} height={GRAPH_NODE.height} rx={4} className="tg-box" />
      <rect width={5} height={GRAPH_NODE.height} rx={2} fill={colour} />
      <text x={12} y={17} className="tg-service" fill={colour}>
        {shorten(node.service, 27)}
      </text>
      <text x={12} y={34} className="tg-operation" data-testid="graph-node-operation">
        {shorten(node.operation, 29)}
      </text>
      <text x={12} y={52} className="tg-figures">
        {`${node.count}× · ${formatDurationUs(node.totalUs)} · self ${formatDurationUs(node.selfUs)}`}
        {node.errors > 0 ? ` · ${node.errors} err` : ""}
      </text>
    </g>
  );
}

export function TraceGraphView({ model }: { model: TraceModel }) {
  const graph = useMemo(() => buildTraceGraph(model, selfTimes(model)), [model]);
  const byKey = useMemo(() => new Map(graph.nodes.map((n) => [n.key, n])), [graph]);
  return (
    <div className="trace-graph" data-testid="trace-graph">
      <p className="muted">
        {graph.nodes.length} operations, {graph.edges.length} call paths. Boxes: calls × total duration · self time.
      </p>
      <div className="trace-graph-scroll">
        <svg
          width={graph.width + PAD * 2}
          height={graph.height + PAD * 2}
          role="img"
          aria-label="Trace graph of services and operations"
        >
          <defs>
            <marker
              id="tg-arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" className="tg-arrow" />
            </marker>
          </defs>
          {graph.edges.map((e) => {
            const a = byKey.get(e.from);
            const b = byKey.get(e.to);
            if (!a || !b) return null;
            const x1 = a.x + PAD + GRAPH_NODE.width;
            const y1 = a.y + PAD + GRAPH_NODE.height / 2;
            const x2 = b.x + PAD;
            const y2 = b.y + PAD + GRAPH_NODE.height / 2;
            // A call back to an earlier layer (a cycle) loops below the boxes instead of crossing them.
            const d =
              x2 > x1
                ? `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`
                : `M ${x1} ${y1} C ${x1 + 60} ${y1 + 80}, ${x2 - 60} ${y2 + 80}, ${x2} ${y2}`;
            return (
              <g key={e.key} data-testid="graph-edge">
                <path d={d} className="tg-edge" markerEnd="url(#tg-arrow)" />
                <text x={(x1 + x2) / 2} y={(y1 + y2) / 2 - 4} className="tg-calls">
                  {e.calls}
                </text>
              </g>
            );
          })}
          {graph.nodes.map((n) => (
            <NodeBox key={n.key} node={n} />
          ))}
        </svg>
      </div>
    </div>
  );
}
