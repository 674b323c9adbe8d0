import { line, scaleLinear, scaleTime } from "d3";
import { type KeyboardEvent, type PointerEvent, useId, useMemo, useRef, useState } from "react";
import { type ChartSeries, hasData, maxValue, nearestIndex, summarise } from "./chart-data";
import { useElementWidth } from "./useElementWidth";

export interface LineChartProps {
  title: string;
  /** µs since the epoch, ascending; every series has one value per time. */
  times: readonly number[];
  series: readonly ChartSeries[];
  /** Values in the tooltip and the accessible text. */
  formatValue: (v: number) => string;
  /** Axis ticks (shorter than values); formatValue when absent. */
  formatTick?: (v: number) => string;
  /** The y axis reaches at least this high, so a flat 0% error line is not drawn against a 0–100% axis. */
  minYMax?: number;
  /** What an empty chart says (default: no requests). */
  emptyText?: string;
  /** The plot's accessible name when the visible title is not enough on its own (small multiples). */
  accessibleTitle?: string;
  /** A shared upper bound, so small multiples (one chart per version) compare at a glance. */
  yMax?: number;
  height?: number;
  testId?: string;
}

const MARGIN = { top: 8, right: 12, bottom: 20, left: 56 };

/**
 * A time-series line chart: d3 computes scales and paths, React renders the SVG (no imperative DOM, so it
 * re-renders cleanly on refresh). Hovering, or the arrow keys once focused, moves a cursor whose values show in a
 * tooltip; for screen readers the plot is a slider whose value text is the values at the cursor.
 */
export function LineChart({
  title,
  times,
  series,
  formatValue,
  formatTick = formatValue,
  minYMax = 0,
  emptyText = "No requests in this window",
  accessibleTitle,
  yMax,
  height = 160,
  testId,
}: LineChartProps) {
  const plotRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plotRef);
  const [cursor, setCursor] = useState<number | null>(null);
  const titleId = useId();

  const innerW = Math.max(10, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const scales = useMemo(() => {
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? first + 1;
    const x = scaleTime()
      .domain([new Date(first / 1000), new Date(Math.max(last, first + 1) / 1000)])
      .range([0, innerW]);
    const top = Math.max(yMax ?? 0, minYMax, maxValue(series));
    const y = scaleLinear()
      .domain([0, top > 0 ? top : 1])
      .nice(4)
      .range([innerH, 0]);
    return { x, y };
  }, [times, series, yMax, minYMax, innerW, innerH]);

  const paths = useMemo(() => {
    const { x, y } = scales;
    return series.map((s) => {
      const gen = line<number>()
        .defined((i) => s.values[i] !== null && s.values[i] !== undefined)
        .x((i) => x(new Date((times[i] ?? 0) / 1000)))
        .y((i) => y(s.values[i] ?? 0));
      return { s, d: gen(times.map((_, i) => i)) ?? "" };
    });
  }, [scales, series, times]);

  if (!hasData(series)) {
    return (
      <figure className="chart" data-testid={testId}>
        <figcaption className="chart-title">{title}</figcaption>
        <div className="chart-empty" data-testid="chart-empty">
          {emptyText}
        </div>
      </figure>
    );
  }

  const { x, y } = scales;
  const xTicks = x.ticks(Math.max(2, Math.floor(innerW / 90)));
  const xFormat = clockFormat(xTicks);
  const yTicks = y.ticks(4);
  const cursorTime = cursor !== null ? times[cursor] : undefined;

  const describeAt = (i: number) => {
    const t = times[i];
    const time = t !== undefined ? clockTime(t / 1000, true) : "";
    const values = series.map((s) => `${s.label} ${fmt(s.values[i] ?? null, formatValue)}`).join(", ");
    return `${time}: ${values}`;
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - rect.left - MARGIN.left;
    const t = x.invert(Math.min(Math.max(px, 0), innerW)).getTime() * 1000;
    setCursor(nearestIndex(times, t));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    let next: number | null = null;
    const current = cursor ?? times.length - 1;
    if (e.key === "ArrowLeft") next = Math.max(0, current - 1);
    else if (e.key === "ArrowRight") next = Math.min(times.length - 1, cursor === null ? 0 : current + 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = times.length - 1;
    else if (e.key === "Escape") {
      setCursor(null);
      return;
    } else return;
    e.preventDefault();
    setCursor(next);
  };

  const tooltipLeft = cursorTime !== undefined ? MARGIN.left + x(new Date(cursorTime / 1000)) : 0;
  return (
    <figure className="chart" data-testid={testId}>
      <div className="chart-head">
        <figcaption className="chart-title" id={titleId}>
          {title}
        </figcaption>
        {series.length > 1 && <ChartLegend series={series} />}
      </div>
      {/* The plot is a slider over the points (WAI-ARIA slider pattern): arrow keys move the cursor and assistive
          technology reads aria-valuetext, the values at that time. */}
      <div
        ref={plotRef}
        className="chart-plot"
        role="slider"
        tabIndex={0}
        aria-labelledby={accessibleTitle ? undefined : titleId}
        aria-label={accessibleTitle}
        aria-description={summarise(series, formatValue)}
        aria-valuemin={0}
        aria-valuemax={Math.max(0, times.length - 1)}
        aria-valuenow={cursor ?? times.length - 1}
        aria-valuetext={describeAt(cursor ?? times.length - 1)}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setCursor(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setCursor(null)}
      >
        <svg width={width} height={height} aria-hidden="true" className="chart-svg">
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            {yTicks.map((v) => (
              <g key={`y${v}`} transform={`translate(0,${y(v)})`}>
                <line className="chart-gridline" x1={0} x2={innerW} />
                <text className="chart-tick" x={-6} dy="0.32em" textAnchor="end">
                  {formatTick(v)}
                </text>
              </g>
            ))}
            {xTicks.map((d) => (
              <text key={`x${d.getTime()}`} className="chart-tick" x={x(d)} y={innerH + 14} textAnchor="middle">
                {xFormat(d)}
              </text>
            ))}
            <line className="chart-axis" x1={0} x2={innerW} y1={innerH} y2={innerH} />
            {paths.map(({ s, d }) => (
              <path
                key={s.key}
                d={d}
                fill="none"
                stroke={s.color}
                strokeWidth={1.75}
                strokeDasharray={s.dashed ? "4 3" : undefined}
              />
            ))}
            {cursorTime !== undefined && cursor !== null && (
              <g transform={`translate(${x(new Date(cursorTime / 1000))},0)`}>
                <line className="chart-cursor" y1={0} y2={innerH} />
                {series.map((s) => {
                  const v = s.values[cursor];
                  return v === null || v === undefined ? null : (
                    <circle key={s.key} cy={y(v)} r={3} fill={s.color} className="chart-dot" />
                  );
                })}
              </g>
            )}
          </g>
        </svg>
        {cursorTime !== undefined && cursor !== null && (
          <ChartTooltip
            left={tooltipLeft}
            flip={tooltipLeft > width * 0.6}
            time={cursorTime}
            rows={series.map((s) => ({ s, value: fmt(s.values[cursor] ?? null, formatValue) }))}
          />
        )}
      </div>
    </figure>
  );
}

/** `14:05` or `14:05:30` in local time (24 h, as the rest of the console prints times). */
function clockTime(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** Tick labels show seconds only when some tick falls inside a minute. */
function clockFormat(ticks: readonly Date[]): (d: Date) => string {
  const withSeconds = ticks.some((d) => d.getSeconds() !== 0);
  return (d) => clockTime(d.getTime(), withSeconds);
}

function fmt(v: number | null, format: (v: number) => string): string {
  return v === null ? "no data" : format(v);
}

function ChartLegend({ series }: { series: readonly ChartSeries[] }) {
  return (
    <ul className="chart-legend" aria-label="Legend">
      {series.map((s) => (
        <li key={s.key}>
          <span
            className={s.dashed ? "legend-line is-dashed" : "legend-line"}
            style={{ borderColor: s.color }}
            aria-hidden="true"
          />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

function ChartTooltip({
  left,
  flip,
  time,
  rows,
}: {
  left: number;
  flip: boolean;
  time: number;
  rows: { s: ChartSeries; value: string }[];
}) {
  return (
    <div
      className="chart-tooltip"
      data-testid="chart-tooltip"
      style={flip ? { right: `calc(100% - ${left - 8}px)` } : { left: left + 8 }}
    >
      <div className="chart-tooltip-time">{clockTime(time / 1000, true)}</div>
      {rows.map(({ s, value }) => (
        <div key={s.key} className="chart-tooltip-row">
          <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
          <span>{s.label}</span>
          <span className="chart-tooltip-value">{value}</span>
        </div>
      ))}
    </div>
  );
}
