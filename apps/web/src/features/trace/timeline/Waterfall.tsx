/**
 * The virtualised waterfall: a scroll viewport over a spacer as tall as all visible rows, rendering only the rows
 * in view plus an overscan (CONVENTIONS: any list with a row per span is virtualised). Rows have one fixed height,
 * so the row at a scroll offset is a division, not a search. The rendered window moves in blocks of rows, so a
 * scroll re-renders React only every few rows, not on every scroll event.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { groupThousands } from "../../../format/count";
import { formatDurationUs } from "../../../format/duration";
import { type CriticalIndex, sectionsForRow } from "../critical-path";
import type { TraceModel } from "../trace-model";
import type { TimeAxis } from "./time-axis";
import { WaterfallRow } from "./WaterfallRow";

export const ROW_HEIGHT = 24;
const OVERSCAN = 16;
const BLOCK = 8;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

export interface WaterfallProps {
  model: TraceModel;
  /** DFS positions of the visible rows, in order. */
  rows: Int32Array;
  collapsed: Uint8Array;
  axis: TimeAxis;
  selectedSpanId: string | null;
  matchMask: Uint8Array | null;
  /** DFS position of the current find match, or -1. */
  currentMatch: number;
  critical: CriticalIndex | null;
  /** Scroll so this DFS position is in view whenever `seq` changes. */
  scrollTarget: { index: number; seq: number } | null;
  onToggle: (index: number) => void;
  onSelect: (spanId: string) => void;
  onExpandAll: () => void;
  onCollapseAll: () => void;
}

function useViewportHeight(ref: React.RefObject<HTMLDivElement | null>): number {
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return height;
}

interface HeaderProps {
  axis: TimeAxis;
  traceStartUs: number;
  count: number;
  onExpandAll: () => void;
  onCollapseAll: () => void;
}

function WaterfallHeader({ axis, traceStartUs, count, onExpandAll, onCollapseAll }: HeaderProps) {
  return (
    <div className="wf-head">
      <div className="wf-name wf-head-name">
        <span>Service &amp; operation</span>
        <span className="wf-head-count muted" data-testid="visible-row-count">
          {groupThousands(count)} rows
        </span>
        <button type="button" className="link-button" data-testid="expand-all" onClick={onExpandAll}>
          Expand all
        </button>
        <button type="button" className="link-button" data-testid="collapse-all" onClick={onCollapseAll}>
          Collapse all
        </button>
      </div>
      <div className="wf-timeline wf-ruler" aria-hidden="true">
        {TICKS.map((t) => (
          <span
            key={t}
            className={`wf-tick wf-tick-${t === 0 ? "first" : t === 1 ? "last" : "mid"}`}
            style={{ left: `${t * 100}%` }}
          >
            {formatDurationUs(axis.fromUs - traceStartUs + t * axis.spanUs)}
          </span>
        ))}
      </div>
    </div>
  );
}

export function Waterfall(props: WaterfallProps) {
  const { model, rows, collapsed, axis, matchMask, critical } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const height = useViewportHeight(viewport);
  const [firstBlock, setFirstBlock] = useState(0);

  const onScroll = useCallback(() => {
    const el = viewport.current;
    if (el) setFirstBlock(Math.floor(el.scrollTop / ROW_HEIGHT / BLOCK));
  }, []);

  // Only a new target (its seq) scrolls; a change of rows alone must not pull the view back, so the rows are read
  // through a ref at the time of the request.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const target = props.scrollTarget;
  useEffect(() => {
    const el = viewport.current;
    if (!el || !target) return;
    const at = rowsRef.current.indexOf(target.index);
    if (at < 0) return;
    const top = at * ROW_HEIGHT;
    if (top < el.scrollTop || top + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    }
  }, [target]);

  const from = Math.max(0, firstBlock * BLOCK - OVERSCAN);
  const to = Math.min(rows.length, firstBlock * BLOCK + Math.ceil(height / ROW_HEIGHT) + BLOCK + OVERSCAN);
  const rendered = [];
  for (let r = from; r < to; r++) {
    const i = rows[r] as number;
    const span = model.spans[i];
    if (!span) continue;
    rendered.push(
      <WaterfallRow
        key={i}
        index={i}
        span={span}
        depth={model.depth[i] as number}
        childCount={model.childCount[i] as number}
        collapsed={collapsed[i] === 1}
        errorBelow={model.errorBelow[i] === 1}
        selected={span.spanId === props.selectedSpanId}
        match={matchMask !== null && matchMask[i] === 1}
        currentMatch={i === props.currentMatch}
        critical={
          critical
            ? sectionsForRow(critical, i, collapsed[i] === 1 ? (model.subtreeEnd[i] as number) : i + 1)
            : undefined
        }
        axis={axis}
        top={r * ROW_HEIGHT}
        onToggle={props.onToggle}
        onSelect={props.onSelect}
      />,
    );
  }

  return (
    <div className="wf" data-testid="span-tree">
      <WaterfallHeader
        axis={axis}
        traceStartUs={model.startUs}
        count={rows.length}
        onExpandAll={props.onExpandAll}
        onCollapseAll={props.onCollapseAll}
      />
      <div className="wf-viewport" ref={viewport} onScroll={onScroll} data-testid="waterfall-viewport">
        <div className="wf-spacer" style={{ height: rows.length * ROW_HEIGHT }}>
          {rendered}
        </div>
      </div>
    </div>
  );
}
