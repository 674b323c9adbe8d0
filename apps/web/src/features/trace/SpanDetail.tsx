/**
 * Everything one span carries: identity, timing, status, attributes, resource, events, links, each with copy
 * buttons, and a link to the span's service page when its namespace is known (service-link.ts).
 *
 * SECURITY: span names, attribute keys and values are untrusted input from any sender (DESIGN §6). They are
 * rendered only as React text children, which the DOM receives as text nodes; never as HTML.
 */
import type { ApiSpan } from "@meshscope/model";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { serviceColor } from "../../components/service-color";
import { formatDurationUs } from "../../format/duration";
import { CopyButton } from "./CopyButton";
import { servicePagePath } from "./service-link";
import { withStableKeys } from "./stable-keys";
import { tracePath } from "./url";

export interface SpanDetailProps {
  span: ApiSpan;
  traceId: string;
  traceStartUs: number;
  selfTimeUs: number | null;
  /** Selects a span of this trace (a link within the trace). */
  onSelectSpan: (spanId: string) => void;
  isInTrace: (spanId: string) => boolean;
  onClose: () => void;
}

/** The panel while a stored span's details are on their way (the outline has only its name and timing). */
export function SpanDetailPending({ name, failed, onClose }: { name: string; failed: boolean; onClose: () => void }) {
  return (
    <div className="span-detail" data-testid="span-detail-pending">
      <div className="span-detail-head">
        <h3 className="span-detail-name">{name}</h3>
        <div className="span-detail-actions">
          <button type="button" className="icon-button" aria-label="Close span details" onClick={onClose}>
            ✕
          </button>
        </div>
      </div>
      <p className="muted" role={failed ? "alert" : "status"}>
        {failed ? "Could not load this span's details. Select it again to retry." : "Loading span details…"}
      </p>
    </div>
  );
}

export function SpanDetail(props: SpanDetailProps) {
  const { span, traceStartUs } = props;
  const servicePath = servicePagePath(span);
  return (
    <div className="span-detail" data-testid="span-detail">
      <div className="span-detail-head">
        <div>
          <p className="span-detail-service" style={{ color: serviceColor(span.service) }}>
            {servicePath ? (
              <Link to={servicePath} data-testid="span-service-link" style={{ color: "inherit" }}>
                {span.service}
              </Link>
            ) : (
              span.service
            )}
            {span.namespace && <span className="muted"> · {span.namespace}</span>}
          </p>
          <h3 className="span-detail-name" data-testid="span-detail-name">
            {span.name}
          </h3>
        </div>
        <div className="span-detail-actions">
          <CopyButton text={JSON.stringify(span, null, 2)} label="span as JSON" testId="copy-span-json" />
          <button type="button" className="icon-button" aria-label="Close span details" onClick={props.onClose}>
            ✕
          </button>
        </div>
      </div>
      <Overview {...props} />
      <AttributeSection title="Attributes" attributes={span.attributes} testId="span-attributes" />
      <AttributeSection title="Resource" attributes={span.resource} testId="span-resource" />
      <Events span={span} traceStartUs={traceStartUs} />
      <Links {...props} />
    </div>
  );
}

function Overview({ span, traceId, traceStartUs, selfTimeUs }: SpanDetailProps) {
  return (
    <dl className="kv-grid">
      <KV label="Kind">
        <span data-testid="span-detail-kind">{span.kind}</span>
      </KV>
      <KV label="Status">
        <span className={`status status-${span.status.code}`} data-testid="span-detail-status">
          {span.status.code}
        </span>
        {span.status.message && <span className="status-message"> {span.status.message}</span>}
      </KV>
      <KV label="Start">+{formatDurationUs(span.start - traceStartUs)}</KV>
      <KV label="Duration">{formatDurationUs(span.duration)}</KV>
      {selfTimeUs !== null && <KV label="Self time">{formatDurationUs(selfTimeUs)}</KV>}
      <KV label="Span ID">
        <span className="mono" data-testid="span-detail-id">
          {span.spanId}
        </span>{" "}
        <CopyButton text={span.spanId} label="span ID" testId="copy-span-id" />
      </KV>
      <KV label="Parent">
        <span className="mono">{span.parentSpanId ?? "—"}</span>
        {span.parentSpanId && <CopyButton text={span.parentSpanId} label="parent span ID" />}
      </KV>
      <KV label="Trace ID">
        <span className="mono">{traceId}</span> <CopyButton text={traceId} label="trace ID" />
      </KV>
      {span.scope && (
        <KV label="Scope">
          {span.scope.name}
          {span.scope.version && <span className="muted"> {span.scope.version}</span>}
        </KV>
      )}
    </dl>
  );
}

function Events({ span, traceStartUs }: { span: ApiSpan; traceStartUs: number }) {
  return (
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
  );
}

function Links({ span, traceId, onSelectSpan, isInTrace }: SpanDetailProps) {
  if (span.links.length === 0) return null;
  return (
    <section className="detail-section" data-testid="span-links">
      <h4>Links ({span.links.length})</h4>
      <ul className="event-list">
        {withStableKeys(span.links, (l) => `${l.traceId}-${l.spanId}`).map(({ key, item: link }) => (
          <li key={key}>
            <p className="mono">
              {link.traceId === traceId && isInTrace(link.spanId) ? (
                <button type="button" className="link-button" onClick={() => onSelectSpan(link.spanId)}>
                  span {link.spanId} in this trace
                </button>
              ) : (
                <Link to={tracePath(link.traceId, link.spanId)}>
                  {link.traceId} / {link.spanId}
                </Link>
              )}
            </p>
            <AttributeTable attributes={link.attributes} />
          </li>
        ))}
      </ul>
    </section>
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
        {count > 0 && <CopyButton text={JSON.stringify(attributes, null, 2)} label={`all ${title.toLowerCase()}`} />}
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
            <td className="attr-copy">
              <CopyButton text={formatAttributeValue(value)} label={`value of ${key}`} />
            </td>
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
