/**
 * The span tree with duration bars: one row per span, indented by depth, bars placed on the trace's time axis.
 *
 * Deliberately simple and NOT virtualised: the virtualised waterfall (CONVENTIONS: any list with a row per span
 * is virtualised) replaces this component in a later issue, behind the same props.
 */
import type { ApiSpan } from "@meshscope/model";
import { useMemo, useState } from "react";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { buildSpanRows, type SpanRow, visibleRows } from "./span-tree";

export interface SpanTreeProps {
  spans: readonly ApiSpan[];
  /** The trace's time axis, µs. */
  traceStartUs: number;
  traceDurationUs: number;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
}

const TICKS = [0, 0.25, 0.5, 0.75, 1];

export function SpanTree({ spans, traceStartUs, traceDurationUs, selectedSpanId, onSelect }: SpanTreeProps) {
  const rows = useMemo(() => buildSpanRows(spans), [spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemo(() => visibleRows(rows, collapsed), [rows, collapsed]);
  const toggle = (spanId: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(spanId)) next.add(spanId);
      return next;
    });
  // A zero-length trace (one instant span) still gets a visible axis.
  const scale = Math.max(traceDurationUs, 1);

  return (
    <div className="span-tree" data-testid="span-tree">
      <div className="span-tree-head" aria-hidden="true">
        <div className="span-col-name">Service &amp; operation</div>
        <div className="span-col-timeline">
          {TICKS.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }}>
              {formatDurationUs(t * traceDurationUs)}
            </span>
          ))}
        </div>
      </div>
      <ul className="span-rows" aria-label="Spans">
        {shown.map((row) => (
          <SpanTreeRow
            key={row.span.spanId}
            row={row}
            offsetPct={((row.span.start - traceStartUs) / scale) * 100}
            widthPct={(row.span.duration / scale) * 100}
            selected={row.span.spanId === selectedSpanId}
            collapsed={collapsed.has(row.span.spanId)}
            onSelect={onSelect}
            onToggle={toggle}
          />
        ))}
      </ul>
    </div>
  );
}

function SpanTreeRow({
  row,
  offsetPct,
  widthPct,
  selected,
  collapsed,
  onSelect,
  onToggle,
}: {
  row: SpanRow;
  offsetPct: number;
  widthPct: number;
  selected: boolean;
  collapsed: boolean;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}) {
  const { span, depth, childCount } = row;
  const isError = span.status.code === "error";
  const color = serviceColor(span.service);
  const classes = ["span-row", selected && "is-selected", isError && "is-error"].filter(Boolean).join(" ");
  // The duration label sits inside a wide bar, else right of it, or left of it when the bar ends near the
  // right edge, so it stays readable.
  const labelPlacement = widthPct > 30 ? "inside" : offsetPct + widthPct > 80 ? "before" : "after";
  const labelStyle =
    labelPlacement === "inside"
      ? { right: `${100 - offsetPct - widthPct}%` }
      : labelPlacement === "before"
        ? { right: `${100 - offsetPct}%` }
        : { left: `${offsetPct + widthPct}%` };
  return (
    <li className={classes} data-testid="span-row" data-span-id={span.spanId}>
      <div className="span-col-name" style={{ paddingLeft: `${depth * 14 + 4}px` }}>
        {childCount > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={!collapsed}
            aria-label={`${collapsed ? "Expand" : "Collapse"} ${childCount} child span${childCount === 1 ? "" : "s"}`}
            onClick={() => onToggle(span.spanId)}
          >
            {collapsed ? "▸" : "▾"}
          </button>
        ) : (
          <span className="tree-toggle-spacer" />
        )}
        <span className="span-service-bar" style={{ background: color }} aria-hidden="true" />
        <button
          type="button"
          className="span-select"
          aria-pressed={selected}
          data-testid="span-select"
          title={`${span.service}: ${span.name}`}
          onClick={() => onSelect(span.spanId)}
        >
          {isError && (
            <span className="error-dot" role="img" aria-label="error">
              !
            </span>
          )}
          <span className="span-service">{span.service}</span>
          <span className="span-name" data-testid="span-name">
            {span.name}
          </span>
        </button>
      </div>
      {/* Clicking the bar selects too (a mouse shortcut); the keyboard path is the name button. */}
      <div className="span-col-timeline" aria-hidden="true" onClick={() => onSelect(span.spanId)}>
        <span
          className="span-bar"
          style={{ left: `${offsetPct}%`, width: `max(2px, ${widthPct}%)`, background: isError ? undefined : color }}
        />
        <span className={`span-bar-label label-${labelPlacement}`} style={labelStyle}>
          {formatDurationUs(span.duration)}
        </span>
      </div>
    </li>
  );
}
