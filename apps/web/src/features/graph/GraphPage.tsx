/**
 * `/graph`: the live service graph. The URL holds the view (graph type, layout, labels, find/hide, selection,
 * animation, replay end) and the shell's window/namespaces/refresh; react-query holds the data; the canvas is
 * one wrapper (CytoscapeGraph) that updates in place.
 */

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { currentSearchParams } from "../../app/current-search";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, LoadingState } from "../../components/states";
import { groupThousands } from "../../format/count";
import { formatTime } from "./clock";
import { startEarlyLayout, warmLayoutWorker } from "./early-layout";
import { compileFind } from "./find-expression";
import { GraphLegend } from "./GraphLegend";
import { GraphToolbar } from "./GraphToolbar";
import { filterGraph } from "./graph-filter";
import { buildGraphModel, type GraphModel } from "./graph-model";
import { readPageTime, refetchPeriodMs } from "./page-time";
import { useGraphQuery } from "./queries";
import { SidePanel } from "./SidePanel";
import { GRAPH_TYPES, type GraphViewState, type LayoutName, readGraphView, writeGraphView } from "./url";
import { useCanvasComponent } from "./useCanvasComponent";
import { useLegendOpen, usePrefersReducedMotion } from "./useGraphPreferences";
import "./graph.css";

/** Above this many edges the animation starts off (it restyles every animated edge ~30 times a second). */
const ANIMATE_DEFAULT_MAX_EDGES = 400;

function describeWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * The first graph of the page is laid out as soon as its model exists, while the canvas code loads and the
 * canvas is created (early-layout.ts). Later models (refreshes) are placed in place by the canvas without a
 * layout, and a new layout is the canvas's own business.
 */
function useEarlyLayout(model: GraphModel | null, layout: LayoutName): void {
  const started = useRef(false);
  // In render, not in an effect: effects run after the page has painted, and this must not wait for that.
  if (model && !started.current && model.nodes.length > 0) {
    started.current = true;
    startEarlyLayout(model, layout);
  }
}

function matchStatus(count: number | null): string | null {
  if (count === null) return null;
  return count === 1 ? "1 match" : `${count} matches`;
}

export function GraphPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const view = useMemo(() => readGraphView(new URLSearchParams(search)), [search]);
  const time = useMemo(() => readPageTime(new URLSearchParams(search)), [search]);
  const update = useCallback(
    (patch: Partial<GraphViewState>, options?: { replace?: boolean }) =>
      setSearchParams(() => writeGraphView(currentSearchParams(), patch), { replace: options?.replace ?? false }),
    [setSearchParams],
  );
  const select = useCallback((id: string | null) => update({ selected: id }, { replace: true }), [update]);

  // Before the query: their effects then ask for the layout worker and the canvas code ahead of the data, and a
  // server busy building a big answer (bench/ui-graph.ts) sends those first rather than after it. The worker is
  // warmed for the layout of the page's first view only.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above.
  useEffect(() => warmLayoutWorker(view.layout), []);
  const canvas = useCanvasComponent();
  const refetchInterval = refetchPeriodMs(time.refresh, view.end !== null);
  const query = useGraphQuery(
    { type: view.type, namespaces: time.namespaces, windowSeconds: time.windowSeconds, end: view.end },
    refetchInterval,
  );
  const model = useMemo(() => (query.data ? buildGraphModel(query.data) : null), [query.data]);
  useEarlyLayout(model, view.layout);
  const find = useMemo(() => compileFind(view.find), [view.find]);
  const hide = useMemo(() => compileFind(view.hide), [view.hide]);
  const filter = useMemo(
    () => (model ? filterGraph(model, find.ok ? find.find : null, hide.ok ? hide.find : null) : null),
    [model, find, hide],
  );

  const reducedMotion = usePrefersReducedMotion();
  const animate = view.animate ?? (!reducedMotion && (model?.edges.length ?? 0) <= ANIMATE_DEFAULT_MAX_EDGES);
  const [legendOpen, setLegendOpen] = useLegendOpen();
  const [relayouts, setRelayouts] = useState(0);
  const [fitRequest, setFitRequest] = useState(0);
  const [layoutRunning, setLayoutRunning] = useState(false);
  // The drawn data's type, not the URL's: while a new type loads, the old graph stays and keeps its layout.
  const layoutKey = `${model?.type ?? ""}|${view.layout}|${relayouts}`;
  const CytoscapeGraph = canvas.Canvas;

  const typeLabel = GRAPH_TYPES.find((t) => t.value === view.type)?.label ?? view.type;
  const scope = time.namespaces.length > 0 ? time.namespaces.join(", ") : "all namespaces";
  const hiddenCount = filter ? [...filter.hidden].filter((id) => model?.nodeById.has(id)).length : 0;

  return (
    <div className="page graph-page" data-testid="page-graph">
      <PageHeader
        title="Graph"
        subtitle={
          <>
            {typeLabel} graph of {scope}, last {describeWindow(time.windowSeconds)}
            {view.end !== null && <> ending {formatTime(view.end)} (replay)</>}
          </>
        }
      />
      <GraphToolbar
        view={view}
        animate={animate}
        findStatus={view.find && filter ? matchStatus(filter.found.size) : null}
        hideStatus={view.hide && filter ? `${hiddenCount} node${hiddenCount === 1 ? "" : "s"} hidden` : null}
        layoutRunning={layoutRunning}
        onChange={update}
        onFit={() => setFitRequest((n) => n + 1)}
        onRelayout={() => setRelayouts((n) => n + 1)}
      />
      {query.isError && query.data && (
        <p className="graph-banner graph-banner-error" role="alert" data-testid="graph-refresh-error">
          The last refresh failed ({query.error.message}); showing the graph from{" "}
          {formatTime(query.dataUpdatedAt * 1000)}.
        </p>
      )}
      <div className="graph-body">
        <div className="graph-stage" data-testid="graph-stage" data-layout={layoutRunning ? "running" : "idle"}>
          {query.isPending ? (
            <LoadingState label="Loading the graph…" testId="graph-loading" />
          ) : query.isError && !query.data ? (
            <ErrorState
              title="Could not load the graph"
              error={query.error}
              onRetry={() => void query.refetch()}
              testId="graph-error"
            />
          ) : model && model.nodes.length === 0 ? (
            <EmptyState title="No traffic in this window" testId="graph-empty">
              <p>
                Nothing was reported for {scope} in the last {describeWindow(time.windowSeconds)}. Widen the window,
                pick other namespaces, or check that proxies are scraped and spans are being sent.
              </p>
            </EmptyState>
          ) : canvas.error !== null ? (
            <ErrorState
              title="Could not load the graph"
              error={canvas.error}
              onRetry={canvas.retry}
              testId="graph-error"
            />
          ) : !CytoscapeGraph ? (
            <LoadingState label="Loading the graph…" testId="graph-loading" />
          ) : model && filter ? (
            <>
              <CytoscapeGraph
                model={model}
                labels={view.labels}
                layout={view.layout}
                layoutKey={layoutKey}
                filter={filter}
                selected={view.selected}
                animate={animate}
                fitRequest={fitRequest}
                onSelect={select}
                onLayoutState={setLayoutRunning}
              />
              {layoutRunning && (
                <p className="graph-layout-note" role="status" data-testid="graph-layout-running">
                  Laying out {groupThousands(model.nodes.length)} nodes…
                </p>
              )}
              {legendOpen ? (
                <GraphLegend onClose={() => setLegendOpen(false)} />
              ) : (
                <button
                  type="button"
                  className="button graph-legend-open"
                  onClick={() => setLegendOpen(true)}
                  data-testid="legend-open"
                >
                  Legend
                </button>
              )}
              <p className="graph-status" data-testid="graph-status">
                {model.nodes.length} nodes · {model.edges.length} edges
                {query.isFetching ? " · refreshing…" : ` · updated ${formatTime(query.dataUpdatedAt * 1000)}`}
                {view.end !== null
                  ? " · replay"
                  : time.refresh.kind === "live"
                    ? " · live"
                    : refetchInterval === false
                      ? " · paused"
                      : ` · every ${Math.round(refetchInterval / 1000)} s`}
              </p>
            </>
          ) : null}
        </div>
        {model && model.nodes.length > 0 && (
          <SidePanel
            model={model}
            selected={view.selected}
            time={{ windowSeconds: time.windowSeconds, end: view.end, refetchInterval }}
            onSelect={select}
          />
        )}
      </div>
    </div>
  );
}
