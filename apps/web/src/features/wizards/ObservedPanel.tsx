import type { ConfiguredVsObserved } from "@meshscope/model";
import { QueryView } from "../../components/QueryView";
import { useObservedQuery } from "../mesh-config/queries";

function pct(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(1)}%`;
}

/** A configured share beside the observed one, as two bars on the same 0–100 scale. */
function Bar({ share, kind, text, testId }: { share: number; kind: string; text: string; testId?: string }) {
  return (
    <div className="observed-bar-line">
      <span className="observed-bar-track">
        <span className={`observed-bar is-${kind}`} style={{ width: `${Math.min(100, Math.max(0, share))}%` }} />
      </span>
      <span className="observed-value" data-testid={testId}>
        {text}
      </span>
    </div>
  );
}

/**
 * A configured share beside the observed one, as two bars on the same 0–100 scale. With nothing configured
 * (`configured` null) only the observed bar is drawn: an empty "configured" bar would read as "configured 0%".
 */
function ShareRow({
  label,
  configured,
  observed,
  testId,
}: {
  label: string;
  configured: number | null;
  observed: number;
  testId: string;
}) {
  return (
    <div
      className="observed-row"
      data-testid={testId}
      data-configured={configured ?? ""}
      data-observed={observed.toFixed(2)}
    >
      <span className="observed-label mono">{label}</span>
      <div className="observed-bars">
        {configured !== null && <Bar share={configured} kind="configured" text={`configured ${pct(configured)}`} />}
        <Bar share={observed} kind="observed" text={`observed ${pct(observed)}`} testId="observed-value" />
      </div>
    </div>
  );
}

function ObservedBody({ data }: { data: ConfiguredVsObserved }) {
  const { fault, circuitBreaker: cb } = data;
  const hasFault = fault.configuredAbortPercent !== null || fault.configuredDelayPercent !== null;
  return (
    <div className="observed" data-testid="observed-body">
      <p className="muted">
        {data.rps.toFixed(2)} requests/s into {data.service} over the last{" "}
        {Math.round((data.window.end - data.window.start) / 1e6)} s
      </p>
      {data.versions.length > 0 && (
        <section data-testid="observed-versions">
          <h4 className="side-section-title">Traffic by version</h4>
          {data.versions.every((v) => v.configuredWeight === null) && (
            <p className="muted">No weights configured: requests spread over every version.</p>
          )}
          {data.versions.map((v) => (
            <ShareRow
              key={v.version}
              label={v.version}
              configured={v.configuredWeight}
              observed={v.observedShare}
              testId={`observed-version-${v.version}`}
            />
          ))}
        </section>
      )}
      {(hasFault || fault.observedAbortShare > 0 || fault.observedDelayShare > 0) && (
        <section data-testid="observed-fault">
          <h4 className="side-section-title">Faults</h4>
          <ShareRow
            label="abort (FI)"
            configured={fault.configuredAbortPercent}
            observed={fault.observedAbortShare}
            testId="observed-abort"
          />
          <ShareRow
            label="delay (DI)"
            configured={fault.configuredDelayPercent}
            observed={fault.observedDelayShare}
            testId="observed-delay"
          />
        </section>
      )}
      {cb.configured && (
        <section data-testid="observed-breaker">
          <h4 className="side-section-title">Circuit breaker</h4>
          <dl className="graph-stats">
            <div className="graph-stat">
              <dt>Max connections</dt>
              <dd>{cb.maxConnections ?? "—"}</dd>
            </div>
            <div className="graph-stat">
              <dt>Max pending</dt>
              <dd>{cb.http1MaxPendingRequests ?? "—"}</dd>
            </div>
            <div className="graph-stat">
              <dt>Consecutive 5xx</dt>
              <dd>{cb.consecutive5xxErrors ?? "—"}</dd>
            </div>
            <div className="graph-stat">
              <dt>Rejected (UO)</dt>
              <dd data-testid="observed-uo" className={cb.observedUoRps > 0 ? "text-error" : undefined}>
                {cb.observedUoRps.toFixed(2)} rps
              </dd>
            </div>
            <div className="graph-stat">
              <dt>No healthy upstream (UH)</dt>
              <dd>{cb.observedUhRps.toFixed(2)} rps</dd>
            </div>
          </dl>
        </section>
      )}
    </div>
  );
}

/**
 * "Configured vs observed" for one service: the config's weights, fault percentages and breaker limits beside what
 * the metrics show over the last 30 s, polled every 5 s (GET /api/mesh/observed). A short window, so the observed
 * split converges soon after an apply instead of averaging in minutes of the old config.
 */
export function ObservedPanel({ namespace, service }: { namespace: string; service: string }) {
  const query = useObservedQuery(namespace, service, 30);
  return (
    <section className="observed-panel" aria-label="Configured vs observed" data-testid="observed-panel">
      <h3 className="side-section-title">Configured vs observed</h3>
      <QueryView query={query} loadingLabel="Reading observed traffic…" errorTitle="Could not read observed traffic">
        {(data) => <ObservedBody data={data} />}
      </QueryView>
    </section>
  );
}
