/** The legend: what shapes, colours, line styles and badge tags mean (Kiali's legend, in our glyphs). */
import { BADGE_TAGS } from "./cy-elements";

const SHAPES = [
  { shape: "app", label: "App (version)" },
  { shape: "workload", label: "Workload" },
  { shape: "service", label: "Service" },
  { shape: "external", label: "External (passthrough)" },
  { shape: "unknown", label: "Unknown source" },
];

const HEALTH = [
  { health: "healthy", label: "Healthy" },
  { health: "degraded", label: "Degraded" },
  { health: "failure", label: "Failure" },
  { health: "idle", label: "Idle / no traffic" },
];

export function GraphLegend({ onClose }: { onClose(): void }) {
  const badges = [...new Map(Object.values(BADGE_TAGS).map((b) => [b.tag, b.title]))];
  return (
    <aside className="graph-legend" aria-label="Legend" data-testid="graph-legend">
      <header className="graph-legend-header">
        <h3>Legend</h3>
        <button type="button" className="icon-button" aria-label="Close the legend" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="graph-legend-grid">
        <ul>
          {SHAPES.map((s) => (
            <li key={s.shape}>
              <span className={`legend-shape legend-${s.shape}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
          <li>
            <span className="legend-box" aria-hidden="true" />
            App / namespace box
          </li>
        </ul>
        <ul>
          {HEALTH.map((h) => (
            <li key={h.health}>
              <span className={`legend-line health-line-${h.health}`} aria-hidden="true" />
              {h.label}
            </li>
          ))}
          <li>
            <span className="legend-line health-line-tcp" aria-hidden="true" />
            TCP traffic
          </li>
          <li>
            <span className="legend-line legend-dashed" aria-hidden="true" />
            From spans (no proxy)
          </li>
          <li>
            <span className="legend-find" aria-hidden="true" />
            Find match
          </li>
        </ul>
        <ul>
          {badges.map(([tag, title]) => (
            <li key={tag}>
              <span className="legend-tag mono">{tag}</span>
              {title}
            </li>
          ))}
          <li>
            <span className="legend-tag mono">CB tripped</span>
            on an edge: circuit breaker open
          </li>
        </ul>
      </div>
    </aside>
  );
}
