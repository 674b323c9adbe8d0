/**
 * One row of the waterfall: the tree cell (indent, toggle, service colour, error marker, service and span name)
 * and the timeline cell (bar, duration label, event ticks, critical-path sections). Memoised: while scrolling
 * only rows entering the window render.
 *
 * SECURITY: service and span names are untrusted; they are React text children only (DESIGN §6).
 */
import type { OutlineSpan } from "@meshscope/model";
import { memo } from "react";
import { serviceColor } from "../../../components/service-color";
import { formatDurationUs } from "../../../format/duration";
import type { CriticalSection } from "../critical-path";
import { labelPlacement, type TimeAxis } from "./time-axis";

/** Indentation stops growing past this depth so very deep traces keep their names on screen. */
const MAX_INDENT_LEVELS = 40;
const INDENT_PX = 14;
/** Event ticks drawn per bar; a span with thousands of events would otherwise add thousands of nodes. */
const MAX_TICKS = 24;

export interface WaterfallRowProps {
  index: number;
  span: OutlineSpan;
  depth: number;
  childCount: number;
  collapsed: boolean;
  /** A descendant (not the span itself) has an error: Jaeger's hollow error marker, shown when collapsed. */
  errorBelow: boolean;
  selected: boolean;
  match: boolean;
  currentMatch: boolean;
  critical: readonly CriticalSection[] | undefined;
  axis: TimeAxis;
  top: number;
  onToggle: (index: number) => void;
  onSelect: (spanId: string) => void;
}

function rowClass(p: WaterfallRowProps, isError: boolean): string {
  return [
    "wf-row",
    p.selected && "is-selected",
    isError && "is-error",
    p.match && "is-match",
    p.currentMatch && "is-current-match",
    p.critical && "is-critical",
  ]
    .filter(Boolean)
    .join(" ");
}

function TreeCell(p: WaterfallRowProps & { isError: boolean; colour: string }) {
  const { span, depth, childCount, collapsed } = p;
  const indent = Math.min(depth, MAX_INDENT_LEVELS) * INDENT_PX;
  return (
    <div className="wf-name" style={{ paddingLeft: indent + 4 }}>
      {depth > MAX_INDENT_LEVELS && <span className="wf-depth muted">{depth}</span>}
      {childCount > 0 ? (
        <button
          type="button"
          className="wf-toggle"
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? "Expand" : "Collapse"} ${childCount} child span${childCount === 1 ? "" : "s"}`}
          data-testid="span-toggle"
          onClick={() => p.onToggle(p.index)}
        >
          {collapsed ? "▸" : "▾"}
        </button>
      ) : (
        <span className="wf-toggle-spacer" />
      )}
      <span className="wf-service-mark" style={{ background: p.colour }} aria-hidden="true" />
      <button
        type="button"
        className="wf-select"
        aria-pressed={p.selected}
        data-testid="span-select"
        title={`${span.service}: ${span.name}`}
        onClick={() => p.onSelect(span.spanId)}
      >
        {p.isError ? (
          <span className="wf-error" role="img" aria-label="error">
            !
          </span>
        ) : (
          p.errorBelow &&
          collapsed && (
            <span className="wf-error wf-error-below" role="img" aria-label="error in a child span">
              !
            </span>
          )
        )}
        <span className="wf-service">{span.service}</span>
        <span className="wf-span-name" data-testid="span-name">
          {span.name}
        </span>
        {collapsed && <span className="wf-hidden-count muted">+{childCount}</span>}
      </button>
    </div>
  );
}

function BarCell(p: WaterfallRowProps & { isError: boolean; colour: string }) {
  const { span, axis } = p;
  const left = axis.pct(span.start);
  const width = axis.pct(span.start + span.duration) - left;
  const placement = labelPlacement(left, width);
  const labelStyle =
    placement === "inside"
      ? { right: `${100 - left - width}%` }
      : placement === "before"
        ? { right: `${100 - left}%` }
        : { left: `${left + width}%` };
  return (
    // Clicking the bar selects too (a mouse shortcut); the keyboard path is the name button.
    <div className="wf-timeline" aria-hidden="true" onClick={() => p.onSelect(span.spanId)}>
      <span
        className="wf-bar"
        data-testid="span-bar"
        style={{ left: `${left}%`, width: `max(2px, ${width}%)`, background: p.isError ? undefined : p.colour }}
      />
      {p.critical?.map((s) => {
        const l = axis.pct(s.startUs);
        return (
          <span
            key={`${s.startUs}-${s.endUs}`}
            className="wf-critical"
            data-testid="critical-section"
            style={{ left: `${l}%`, width: `max(2px, ${axis.pct(s.endUs) - l}%)` }}
          />
        );
      })}
      {span.events.slice(0, MAX_TICKS).map((e, i) => (
        // Events have no id; position in the (immutable) list is stable for this span.
        // biome-ignore lint/suspicious/noArrayIndexKey: the span's event list never changes order.
        <span key={i} className="wf-event" style={{ left: `${axis.pct(e.time)}%` }} />
      ))}
      <span className={`wf-bar-label label-${placement}`} style={labelStyle}>
        {formatDurationUs(span.duration)}
      </span>
    </div>
  );
}

export const WaterfallRow = memo(function WaterfallRow(p: WaterfallRowProps) {
  const isError = p.span.status.code === "error";
  const colour = serviceColor(p.span.service);
  return (
    <div
      className={rowClass(p, isError)}
      style={{ transform: `translateY(${p.top}px)` }}
      data-testid="span-row"
      data-span-id={p.span.spanId}
      data-critical={p.critical ? "true" : undefined}
      data-match={p.match ? "true" : undefined}
    >
      <TreeCell {...p} isError={isError} colour={colour} />
      <BarCell {...p} isError={isError} colour={colour} />
    </div>
  );
});
