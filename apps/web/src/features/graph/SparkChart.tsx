/**
 * A small line chart over the graph's window (d3 computes scales and the path; React draws the SVG, so values
 * are never parsed as markup). Gaps (null values: no requests, no histogram) break the line instead of
 * pretending zero.
 */
import { extent, line, max, scaleLinear } from "d3";
import { useId } from "react";

export interface SparkPoint {
  /** µs since the epoch. */
  t: number;
  v: number | null;
}

const WIDTH = 300;
const HEIGHT = 56;
const PAD = { top: 6, right: 4, bottom: 4, left: 4 };

export function SparkChart({
  title,
  points,
  format,
  color,
  zeroNote,
  testId,
}: {
  title: string;
  points: readonly SparkPoint[];
  format: (v: number) => string;
  color: string;
  /** Said instead of a flat line when every value is 0 (e.g. "No errors"). */
  zeroNote?: string;
  testId?: string;
}) {
  const titleId = useId();
  const values = points.flatMap((p) => (p.v === null ? [] : [p.v]));
  const last = [...points].reverse().find((p) => p.v !== null)?.v ?? null;
  const [t0, t1] = extent(points, (p) => p.t);
  const top = max(values) ?? 0;
  const x = scaleLinear()
    .domain([t0 ?? 0, t1 ?? 1])
    .range([PAD.left, WIDTH - PAD.right]);
  const y = scaleLinear()
    .domain([0, top > 0 ? top : 1])
    .nice()
    .range([HEIGHT - PAD.bottom, PAD.top]);
  const path =
    line<SparkPoint>()
      .defined((p) => p.v !== null)
      .x((p) => x(p.t))
      .y((p) => y(p.v ?? 0))(points) ?? "";
  return (
    <figure className="spark" data-testid={testId}>
      <figcaption className="spark-caption">
        <span id={titleId}>{title}</span>
        <span className="spark-value">{last === null ? "–" : `last ${format(last)}`}</span>
      </figcaption>
      {values.length === 0 ? (
        <p className="spark-empty">No data in this window</p>
      ) : top === 0 && zeroNote ? (
        <p className="spark-empty">{zeroNote}</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="spark-svg" role="img" aria-labelledby={titleId}>
          <title>{`${title}: peak ${format(top)}, last ${last === null ? "none" : format(last)}`}</title>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(0)} y2={y(0)} className="spark-axis" />
          <path d={path} fill="none" stroke={color} strokeWidth={1.6} />
          {points.map((p, i) =>
            // A point with no defined neighbour draws no line segment: show it as a dot.
            p.v !== null && points[i - 1]?.v == null && points[i + 1]?.v == null ? (
              <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={2} fill={color} />
            ) : null,
          )}
        </svg>
      )}
    </figure>
  );
}

/** Horizontal bars of a breakdown (response codes, flags), each with its share of the total. */
export function ShareBars({
  rows,
  format,
  colorOf,
  testId,
}: {
  rows: readonly { key: string; value: number; label?: string }[];
  format: (v: number) => string;
  colorOf: (key: string) => string;
  testId?: string;
}) {
  const total = rows.reduce((a, r) => a + r.value, 0);
  const x = scaleLinear()
    .domain([0, total > 0 ? total : 1])
    .range([0, 100]);
  return (
    <ul className="share-bars" data-testid={testId}>
      {rows.map((r) => (
        <li key={r.key} className="share-bar-row" data-testid="share-bar">
          <span className="share-bar-key mono">{r.key}</span>
          <span className="share-bar-track" aria-hidden="true">
            <span className="share-bar-fill" style={{ width: `${x(r.value)}%`, background: colorOf(r.key) }} />
          </span>
          <span className="share-bar-value">
            {format(r.value)}
            {r.label ? <span className="muted"> {r.label}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
