import type { TraceResponse } from "@meshscope/model";
import type { UseQueryResult } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { ErrorState, LoadingState } from "../../components/states";
import { formatDurationUs } from "../../format/duration";
import { formatTimestampUs } from "../../format/time";
import { tracePath } from "../trace/url";
import { alignTraces, type TraceAlignment } from "./align";
import { CompareTree } from "./CompareTree";
import { useCompareTraceQuery } from "./queries";
import { traceFacts } from "./trace-facts";
import "./trace-compare.css";
import { comparePath, readCompareIds } from "./url";

/**
 * `/traces/compare?a=&b=`: two traces side by side as one merged structure (Jaeger's trace diff), with how many
 * paths B added, removed or changed against A.
 */
export function TraceComparePage() {
  const [params] = useSearchParams();
  const ids = readCompareIds(params);
  const queryA = useCompareTraceQuery(ids.a);
  const queryB = useCompareTraceQuery(ids.b);
  const dataA = queryA.data;
  const dataB = queryB.data;
  const alignment = useMemo(() => (dataA && dataB ? alignTraces(dataA.spans, dataB.spans) : null), [dataA, dataB]);

  return (
    <div className="page" data-testid="page-trace-compare">
      <PageHeader
        title="Compare traces"
        subtitle="Structure aligned by service and operation path: A is the baseline."
      />
      <Panel title="Traces" testId="panel-compare-ids">
        <CompareIdsForm a={ids.a ?? params.get("a") ?? ""} b={ids.b ?? params.get("b") ?? ""} />
        {(ids.a !== null || ids.b !== null) && (
          <div className="compare-sides">
            <TraceSide label="A" traceId={ids.a} query={queryA} />
            <TraceSide label="B" traceId={ids.b} query={queryB} />
          </div>
        )}
      </Panel>
      {alignment && <ComparisonPanel alignment={alignment} />}
    </div>
  );
}

function ComparisonPanel({ alignment }: { alignment: TraceAlignment }) {
  const { added, removed, changed, same } = alignment.counts;
  return (
    <Panel title="Structure" testId="panel-compare-structure">
      <p className="compare-summary" data-testid="compare-summary">
        <span className="compare-status is-added" data-testid="compare-added">
          {added} added
        </span>
        ,{" "}
        <span className="compare-status is-removed" data-testid="compare-removed">
          {removed} removed
        </span>
        ,{" "}
        <span className="compare-status is-changed" data-testid="compare-changed">
          {changed} changed
        </span>
        <span className="muted">
          {" "}
          · {same} unchanged · changed means another span count or more than 10% time difference
        </span>
      </p>
      <CompareTree roots={alignment.roots} />
    </Panel>
  );
}

function TraceSide({
  label,
  traceId,
  query,
}: {
  label: string;
  traceId: string | null;
  query: UseQueryResult<TraceResponse>;
}) {
  const facts = useMemo(() => (query.data ? traceFacts(query.data.spans) : null), [query.data]);
  return (
    <section className="compare-side" data-testid={`compare-side-${label.toLowerCase()}`} aria-label={`Trace ${label}`}>
      <span className="compare-side-label">{label}</span>
      {traceId === null ? (
        <p className="field-error">Not a trace id (32 or 16 hex digits).</p>
      ) : query.isError ? (
        <ErrorState
          title={`Trace ${label} could not be loaded`}
          error={query.error}
          onRetry={() => void query.refetch()}
        />
      ) : !facts ? (
        <LoadingState label={`Loading trace ${label}…`} />
      ) : (
        <div className="compare-side-facts">
          <Link to={tracePath(traceId)} className="trace-link" data-testid="compare-side-link">
            {facts.rootService}: {facts.rootName}
          </Link>
          <span className="trace-id mono">{traceId}</span>
          <span className="muted">
            {formatDurationUs(facts.durationUs)} · <span data-testid="compare-side-spans">{facts.spanCount}</span> spans
            · {plural(facts.errorCount, "error")} · {formatTimestampUs(facts.startUs)}
          </span>
        </div>
      )}
    </section>
  );
}

/** Two trace ids typed or pasted (Jaeger's compare header takes ids too), written to the URL on submit. */
function CompareIdsForm({ a, b }: { a: string; b: string }) {
  const navigate = useNavigate();
  const [draft, setDraft] = useState({ a, b, source: `${a}|${b}` });
  if (draft.source !== `${a}|${b}`) setDraft({ a, b, source: `${a}|${b}` });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(comparePath(draft.a.trim(), draft.b.trim()));
  };
  return (
    <form className="compare-ids" onSubmit={submit} aria-label="Traces to compare">
      <label>
        <span>Trace A</span>
        <input
          type="text"
          className="mono"
          data-testid="compare-input-a"
          spellCheck={false}
          value={draft.a}
          onChange={(e) => setDraft({ ...draft, a: e.target.value })}
        />
      </label>
      <label>
        <span>Trace B</span>
        <input
          type="text"
          className="mono"
          data-testid="compare-input-b"
          spellCheck={false}
          value={draft.b}
          onChange={(e) => setDraft({ ...draft, b: e.target.value })}
        />
      </label>
      <button type="submit" className="button button-primary" data-testid="compare-submit">
        Compare
      </button>
    </form>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
