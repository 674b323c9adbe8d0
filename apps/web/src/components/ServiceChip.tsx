import { serviceColor } from "./service-color";

/** A service name with its colour swatch; `count` is appended when given (e.g. spans of that service). */
export function ServiceChip({ name, count }: { name: string; count?: number }) {
  return (
    <span className="service-chip" data-testid="service-chip">
      <span className="swatch" style={{ background: serviceColor(name) }} aria-hidden="true" />
      <span className="service-chip-name">{name}</span>
      {count !== undefined && (
        <span className="service-chip-count" data-testid="service-chip-count">
          {count}
        </span>
      )}
    </span>
  );
}
