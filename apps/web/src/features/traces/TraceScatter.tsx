import type { TraceSummary } from "@meshscope/model";
import { scaleLinear, scaleSqrt, scaleTime, symbol, symbolCircle, symbolDiamond, timeFormat } from "d3";
import { type KeyboardEvent, useMemo, useRef, useState } from "react";
import { useElementWidth } from "../../components/charts/useElementWidth";
import { formatDurationUs } from "../../format/duration";
import { formatTimestampUs } from "../../format/time";

const MARGIN = { top: 12, right: 16, bottom: 22, left: 60 };
const HEIGHT = 190;
/** Marker areas in px² (d3.symbol sizes by area): small traces stay clickable, huge ones do not hide the rest. */
const MIN_AREA = 40;
const MAX_AREA = 500;

interface Point {
  trace: TraceSummary;
  x: number;
  y: number;
  path: string;
}

/**
 * Duration against start time for the search results (Jaeger's scatter, jaeger.md §1.3): marker area by span
 * count, errors red and diamond-shaped (the shape tells them apart without colour). d3 computes the scales and
 * marker paths, React renders the SVG. Every point is a button: Tab reaches it, Enter opens the trace, and its
 * label says what the tooltip shows.
 */
export function TraceScatter({
  traces,
  onOpen,
}: {
  traces: readonly TraceSummary[];
  onOpen: (traceId: string) => void;
}) {
  const plotRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plotRef, 600);
  const [hovered, setHovered] = useState<Point | null>(null);
  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;

  const chart = useMemo(() => layout(traces, innerW, innerH), [traces, innerW, innerH]);

  const onKeyDown = (event: KeyboardEvent, traceId: string) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    onOpen(traceId);
  };

  return (
    <figure className="chart trace-scatter" data-testid="trace-scatter">
      <figcaption className="chart-title">
        Duration by start time <span className="muted">· size: spans · red diamond: has errors</span>
      </figcaption>
      <div ref={plotRef} className="trace-scatter-plot">
        {/* biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; the group names the points for assistive technology. */}
        <svg
          width={width}
          height={HEIGHT}
          className="chart-svg"
          role="group"
          aria-label="Traces by start time and duration"
        >
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {chart.yTicks.map((t) => (
              <g key={`y${t.value}`} transform={`translate(0,${t.y})`}>
                <line className="chart-gridline" x1={0} x2={innerW} />
                <text className="chart-tick" x={-6} dy="0.32em" textAnchor="end">
                  {t.label}
                </text>
              </g>
            ))}
            {chart.xTicks.map((t) => (
              <text key={`x${t.x}`} className="chart-tick" x={t.x} y={innerH + 15} textAnchor="middle">
                {t.label}
              </text>
            ))}
            <line className="chart-axis" x1={0} x2={innerW} y1={innerH} y2={innerH} />
            {chart.points.map((p) => (
              // biome-ignore lint/a11y/useSemanticElements: an SVG marker cannot be a <button>; role, tabIndex and Enter/Space make it one.
              <g
                key={p.trace.traceId}
                role="button"
                tabIndex={0}
                className={p.trace.errorCount > 0 ? "scatter-point is-error" : "scatter-point"}
                data-testid="scatter-point"
                data-trace-id={p.trace.traceId}
                aria-label={describe(p.trace)}
                transform={`translate(${p.x},${p.y})`}
                onClick={() => onOpen(p.trace.traceId)}
                onKeyDown={(e) => onKeyDown(e, p.trace.traceId)}
                onPointerEnter={() => setHovered(p)}
                onPointerLeave={() => setHovered(null)}
                onFocus={() => setHovered(p)}
                onBlur={() => setHovered(null)}
              >
                <path d={p.path} />
              </g>
            ))}
          </g>
        </svg>
        {hovered && <ScatterTooltip point={hovered} flip={hovered.x > innerW * 0.6} />}
      </div>
    </figure>
  );
}

function layout(traces: readonly TraceSummary[], innerW: number, innerH: number) {
  const starts = traces.map((t) => t.start);
  const first = Math.min(...starts);
  const last = Math.max(...starts);
  // One trace, or all at one instant: widen the domain so the point sits in the middle, not on an edge.
  const pad = last > first ? (last - first) * 0.03 : 1_000_000;
  const x = scaleTime()
    .domain([new Date((first - pad) / 1_000), new Date((last + pad) / 1_000)])
    .range([0, innerW]);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...traces.map((t) => t.duration)) * 1.05])
    .nice(4)
    .range([innerH, 0]);
  const area = scaleSqrt()
    .domain([1, Math.max(2, ...traces.map((t) => t.spanCount))])
    .range([MIN_AREA, MAX_AREA])
    .clamp(true);
  // Big markers first and errors last, so small and failing traces are drawn on top and stay clickable.
  const ordered = [...traces].sort(
    (a, b) => Number(a.errorCount > 0) - Number(b.errorCount > 0) || b.spanCount - a.spanCount,
  );
  const points: Point[] = ordered.map((trace) => ({
    trace,
    x: x(new Date(trace.start / 1_000)),
    y: y(trace.duration),
    path: symbol(trace.errorCount > 0 ? symbolDiamond : symbolCircle, area(trace.spanCount))() ?? "",
  }));
  const tickFormat = clockFormat(last - first);
  return {
    points,
    xTicks: x.ticks(Math.max(2, Math.floor(innerW / 130))).map((d) => ({ x: x(d), label: tickFormat(d) })),
    yTicks: y.ticks(4).map((v) => ({ value: v, y: y(v), label: formatDurationUs(v) })),
  };
}

/**
 * Tick labels as clock times, precise enough for the results' spread: milliseconds when they all fall within
 * seconds, the date when they span days (d3's default mixes `.400` and `:14` on a short range).
 */
function clockFormat(spreadUs: number): (d: Date) => string {
  if (spreadUs < 10_000_000) return timeFormat("%H:%M:%S.%L");
  if (spreadUs < 86_400_000_000) return timeFormat("%H:%M:%S");
  return timeFormat("%b %d %H:%M");
}

function describe(trace: TraceSummary): string {
  const errors = trace.errorCount > 0 ? `, ${trace.errorCount} error${trace.errorCount === 1 ? "" : "s"}` : "";
  return `${trace.rootService}: ${trace.rootName}, ${formatDurationUs(trace.duration)}, ${trace.spanCount} spans${errors}, started ${formatTimestampUs(trace.start)}`;
}

function ScatterTooltip({ point, flip }: { point: Point; flip: boolean }) {
  const left = MARGIN.left + point.x;
  const { trace } = point;
  return (
    <div
      className="chart-tooltip scatter-tooltip"
      data-testid="scatter-tooltip"
      style={{
        top: MARGIN.top + point.y + 10,
        ...(flip ? { right: `calc(100% - ${left - 10}px)` } : { left: left + 10 }),
      }}
    >
      <div className="scatter-tooltip-title">
        {trace.rootService}: {trace.rootName}
      </div>
      <div>
        {formatDurationUs(trace.duration)} · {trace.spanCount} spans
        {trace.errorCount > 0 && (
          <span className="scatter-tooltip-errors">
            {" "}
            · {trace.errorCount} {trace.errorCount === 1 ? "error" : "errors"}
          </span>
        )}
      </div>
      <div className="muted">{formatTimestampUs(trace.start)}</div>
    </div>
  );
}
