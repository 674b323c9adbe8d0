/**
 * Everything one span carries: identity, timing, status, attributes, resource, events, links.
 *
 * SECURITY: span names, attribute keys and values are untrusted input from any sender (DESIGN §6). They are
 * rendered only as React text children, which the DOM receives as text nodes; never as HTML.
 */
import type { ApiSpan } from "@meshscope/model";
import type { ReactNode } from "react";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { withStableKeys } from "./stable-keys";

export function SpanDetail({
  span,
  traceStartUs,
  onClose,
}: {
  span: ApiSpan;
  traceStartUs: number;
  onClose: () => void;
}) {
  return (
    <div className="span-detail" data-testid="span-detail">
      <div className="span-detail-head">
        <div>
          <p className="span-detail-service" style={{ color: serviceColor(span.service) }}>
            {span.service}
            {span.namespace && <span className="muted"> · {span.namespace}</span>}
          </p>
          <h3 className="span-detail-name" data-testid="span-detail-name">
            {span.name}
          </h3>
        </div>
        <button type="button" className="icon-button" aria-label="Close span details" onClick={onClose}>
          ✕
        </button>
      </div>

      <dl className="kv-grid">
        <KV label="Kind">{span.kind}</KV>
        <KV label="Status">
          <span className={`status status-${span.status.code}`} data-testid="span-detail-status">
            {span.status.code}
          </span>
          {span.status.message && <span className="status-message"> {span.status.message}</span>}
        </KV>
        <KV label="Start">+{formatDurationUs(span.start - traceStartUs)}</KV>
        <KV label="Duration">{formatDurationUs(span.duration)}</KV>
        <KV label="Span ID">
          <span className="mono">{span.spanId}</span>
        </KV>
        <KV label="Parent">
          <span className="mono">{span.parentSpanId ?? "—"}</span>
        </KV>
        {span.scope && (
          <KV label="Scope">
            {span.scope.name}
            {span.scope.version && <span className="muted"> {span.scope.version}</span>}
          </KV>
        )}
      </dl>

      <AttributeSection title="Attributes" attributes={span.attributes} testId="span-attributes" />
      <AttributeSection title="Resource" attributes={span.resource} testId="span-resource" />

      <section className="detail-section" data-testid="span-events">
        <h4>Events ({span.events.length})</h4>
        {span.events.length === 0 ? (
          <p className="muted">No events.</p>
        ) : (
          <ol className="event-list">
            {withStableKeys(span.events, (e) => `${e.time}:${e.name}`).map(({ key, item: event }) => (
              <li key={key}>
                <p>
                  <span className="mono muted">+{formatDurationUs(event.time - traceStartUs)}</span> {event.name}
                </p>
                <AttributeTable attributes={event.attributes} />
              </li>
            ))}
          </ol>
        )}
      </section>

      {span.links.length > 0 && (
        <section className="detail-section" data-testid="span-links">
          <h4>Links ({span.links.length})</h4>
          <ul className="event-list">
            {withStableKeys(span.links, (l) => `${l.traceId}-${l.spanId}`).map(({ key, item: link }) => (
              <li key={key}>
                <p className="mono">
                  {link.traceId} / {link.spanId}
                </p>
                <AttributeTable attributes={link.attributes} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function KV({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function AttributeSection({
  title,
  attributes,
  testId,
}: {
  title: string;
  attributes: Record<string, unknown>;
  testId: string;
}) {
  const count = Object.keys(attributes).length;
  return (
    <section className="detail-section" data-testid={testId}>
      <h4>
        {title} ({count})
      </h4>
      {count === 0 ? <p className="muted">None.</p> : <AttributeTable attributes={attributes} />}
    </section>
  );
}

function AttributeTable({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <table className="attr-table">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} data-testid="attribute-row">
            <th scope="row" className="mono">
              {key}
            </th>
            <td className={`mono attr-${typeof value}`}>{formatAttributeValue(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Strings as they are; numbers, booleans, arrays and maps as JSON, so their types stay visible. */
export function formatAttributeValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
