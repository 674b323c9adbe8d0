import { area, line, scaleLinear } from "d3";
import { useMemo } from "react";

/**
 * A small trend line without axes (a namespace card's request rate). The label says what it shows in words, so
 * the picture is decoration for assistive technology.
 */
export function Sparkline({
  values,
  label,
  width = 160,
  height = 32,
  color = "var(--accent)",
  testId,
}: {
  values: readonly number[];
  label: string;
  width?: number;
  height?: number;
  color?: string;
  testId?: string;
}) {
  const { lineD, areaD } = useMemo(() => {
    const x = scaleLinear()
      .domain([0, Math.max(1, values.length - 1)])
      .range([1, width - 1]);
    const max = Math.max(...values, 0);
    const y = scaleLinear()
      .domain([0, max > 0 ? max : 1])
      .range([height - 2, 2]);
    const idx = values.map((_, i) => i);
    const lineGen = line<number>()
      .x((i) => x(i))
      .y((i) => y(values[i] ?? 0));
    const areaGen = area<number>()
      .x((i) => x(i))
      .y0(height)
      .y1((i) => y(values[i] ?? 0));
    return { lineD: lineGen(idx) ?? "", areaD: areaGen(idx) ?? "" };
  }, [values, width, height]);

  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      data-testid={testId}
    >
      <path d={areaD} fill={color} opacity={0.15} />
      <path d={lineD} fill="none" stroke={color} strokeWidth={1.5} />
    </svg>
  );
}
