/**
 * The timeline view: toolbar (find, critical path, zoom reset), minimap, virtualised waterfall and the selected
 * span's details. Collapse state is a typed array per span, replaced (not mutated) on each change so React
 * sees it; the visible rows are recomputed from it in one O(n) pass (trace-model.ts visibleRows).
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { criticalPath, indexSections } from "../critical-path";
import { useFindInTraceQuery, useSpanDetailQuery } from "../queries";
import { SpanDetail, SpanDetailPending } from "../SpanDetail";
import { selfTimeOf } from "../self-time";
import type { TraceDetails } from "../trace-details";
import { collapseAll, revealRow, type TraceModel, visibleRows } from "../trace-model";
import type { TracePageState } from "../url";
import { FindBar } from "./FindBar";
import { Minimap } from "./Minimap";
import { FULL_WINDOW, timeAxis, type ZoomWindow } from "./time-axis";
import { Waterfall } from "./Waterfall";

export interface TimelineViewProps {
  model: TraceModel;
  details: TraceDetails;
  state: TracePageState;
  onState: (patch: Partial<TracePageState>) => void;
}

const NO_MATCHES = new Int32Array(0);

/**
 * Find matches (searched where the details are: on the server for a stored trace), the current one, and stepping
 * through them (which reveals and scrolls to the match). Matches are in row order.
 */
function useFind(model: TraceModel, details: TraceDetails, text: string) {
  const found = useFindInTraceQuery(details, text).data;
  const active = text.trim() !== "";
  const matches = useMemo(() => {
    if (!active || found === undefined) return NO_MATCHES;
    const positions: number[] = [];
    for (const id of found) {
      const i = model.indexOf.get(id);
      if (i !== undefined) positions.push(i);
    }
    return Int32Array.from(positions).sort();
  }, [model, found, active]);
  const mask = useMemo(() => {
    if (matches.length === 0) return null;
    const m = new Uint8Array(model.spans.length);
    for (const i of matches) m[i] = 1;
    return m;
  }, [model, matches]);
  const [current, setCurrent] = useState(-1);
  // A new query starts at its first match.
  useEffect(() => setCurrent(matches.length > 0 ? 0 : -1), [matches]);
  return { matches, mask, current, setCurrent };
}

export function TimelineView({ model, details, state, onState }: TimelineViewProps) {
  const [collapsed, setCollapsed] = useState<Uint8Array>(() => new Uint8Array(model.spans.length));
  const [zoom, setZoom] = useState<ZoomWindow>(FULL_WINDOW);
  const [scrollTarget, setScrollTarget] = useState<{ index: number; seq: number } | null>(null);
  const rows = useMemo(() => visibleRows(model, collapsed), [model, collapsed]);
  const axis = useMemo(() => timeAxis(model.startUs, model.endUs - model.startUs, zoom), [model, zoom]);
  const critical = useMemo(
    () => (state.criticalPath ? indexSections(criticalPath(model)) : null),
    [model, state.criticalPath],
  );
  const find = useFind(model, details, state.find);

  const goTo = useCallback(
    (index: number) => {
      setCollapsed((prev) => revealRow(model, prev, index));
      setScrollTarget((prev) => ({ index, seq: (prev?.seq ?? 0) + 1 }));
    },
    [model],
  );
  const currentMatch = find.current >= 0 ? (find.matches[find.current] ?? -1) : -1;
  useEffect(() => {
    if (currentMatch >= 0) goTo(currentMatch);
  }, [currentMatch, goTo]);

  const onToggle = useCallback((i: number) => {
    setCollapsed((prev) => {
      const next = prev.slice();
      next[i] = prev[i] ? 0 : 1;
      return next;
    });
  }, []);
  const onSelect = useCallback(
    (spanId: string) => onState({ selectedSpanId: spanId === state.selectedSpanId ? null : spanId }),
    [onState, state.selectedSpanId],
  );
  const onExpandAll = useCallback(() => setCollapsed(new Uint8Array(model.spans.length)), [model]);
  const onCollapseAll = useCallback(() => setCollapsed(collapseAll(model)), [model]);
  const onFind = useCallback((find: string) => onState({ find }), [onState]);

  const selectedIndex = state.selectedSpanId === null ? undefined : model.indexOf.get(state.selectedSpanId);
  const selectedDetail = useSpanDetailQuery(
    details,
    selectedIndex === undefined ? null : (state.selectedSpanId ?? null),
  );
  const selected = selectedIndex === undefined ? null : (model.spans[selectedIndex] ?? null);
  const selectedFull = selectedDetail.data ?? null;
  // Self time of one span: a sweep over its children only, not the whole trace.
  const selfOfSelected = selectedIndex === undefined ? null : selfTimeOf(model, selectedIndex);
  const zoomed = zoom.start > 0 || zoom.end < 1;

  return (
    <>
      <div className="trace-toolbar">
        <FindBar
          value={state.find}
          onChange={onFind}
          matchCount={find.matches.length}
          current={find.current}
          onStep={(delta) => {
            const n = find.matches.length;
            if (n > 0) find.setCurrent((c) => (c + delta + n) % n);
          }}
        />
        <button
          type="button"
          className={state.criticalPath ? "button is-active" : "button"}
          aria-pressed={state.criticalPath}
          data-testid="toggle-critical-path"
          onClick={() => onState({ criticalPath: !state.criticalPath })}
        >
          Critical path
        </button>
        {zoomed && (
          <button type="button" className="button" data-testid="reset-zoom" onClick={() => setZoom(FULL_WINDOW)}>
            Reset zoom
          </button>
        )}
      </div>
      <Minimap model={model} zoom={zoom} onZoom={setZoom} />
      <div className={selected ? "trace-body has-detail" : "trace-body"}>
        <Waterfall
          model={model}
          rows={rows}
          collapsed={collapsed}
          axis={axis}
          selectedSpanId={state.selectedSpanId}
          matchMask={find.mask}
          currentMatch={currentMatch}
          critical={critical}
          scrollTarget={scrollTarget}
          onToggle={onToggle}
          onSelect={onSelect}
          onExpandAll={onExpandAll}
          onCollapseAll={onCollapseAll}
        />
        {selected && (
          <aside className="trace-detail-panel panel" aria-label="Span details">
            {selectedFull === null || selectedFull.spanId !== selected.spanId ? (
              <SpanDetailPending
                name={selected.name}
                failed={selectedDetail.isError}
                onClose={() => onState({ selectedSpanId: null })}
              />
            ) : (
              <SpanDetail
                span={selectedFull}
                traceId={model.traceId}
                traceStartUs={model.startUs}
                selfTimeUs={selfOfSelected}
                onSelectSpan={(spanId) => {
                  onState({ selectedSpanId: spanId });
                  const i = model.indexOf.get(spanId);
                  if (i !== undefined) goTo(i);
                }}
                isInTrace={(spanId) => model.indexOf.has(spanId)}
                onClose={() => onState({ selectedSpanId: null })}
              />
            )}
          </aside>
        )}
      </div>
    </>
  );
}
