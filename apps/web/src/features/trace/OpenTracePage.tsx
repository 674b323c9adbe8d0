/**
 * `/traces/open`: a trace from a local JSON file (OTLP JSON or Jaeger JSON), shown with the same trace view and
 * never sent to the server. The file's traces stay in this page's memory; leaving the page forgets them.
 */
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { PageHeader } from "../../components/PageHeader";
import { Panel } from "../../components/Panel";
import { TraceFileError } from "./convert/json-read";
import { readTraceFile, type TraceFile } from "./convert/read-trace-file";
import { TraceView } from "./TraceView";
import { localTraceDetails } from "./trace-details";

type Loaded = { name: string; file: TraceFile; chosen: number };

function FilePicker({ onFile, error }: { onFile: (file: File) => void; error: string | null }) {
  const [over, setOver] = useState(false);
  return (
    <Panel title="Open a trace file" testId="panel-open-trace">
      <label
        className={over ? "drop-zone is-over" : "drop-zone"}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer.files[0];
          if (file) onFile(file);
        }}
      >
        <span>
          Drop a JSON file here, or choose one: OTLP JSON (<code>{'{"resourceSpans": […]}'}</code>, one request per line
          accepted) or Jaeger JSON (<code>{'{"data": […]}'}</code>).
        </span>
        <input
          type="file"
          accept=".json,.jsonl,application/json"
          data-testid="trace-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
          }}
        />
        <span className="muted">The file is read in your browser and not stored on the server.</span>
      </label>
      {error && (
        <p className="field-error" role="alert" data-testid="trace-file-error">
          {error}
        </p>
      )}
    </Panel>
  );
}

export function OpenTracePage() {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onFile = (file: File) => {
    file.text().then(
      (text) => {
        try {
          setLoaded({ name: file.name, file: readTraceFile(text), chosen: 0 });
          setError(null);
        } catch (e) {
          setError(e instanceof TraceFileError ? `${file.name}: ${e.message}` : `${file.name} could not be read`);
        }
      },
      () => setError(`${file.name} could not be read`),
    );
  };
  const trace = loaded?.file.traces[loaded.chosen];
  const details = useMemo(() => trace && localTraceDetails(trace.traceId, trace.spans), [trace]);

  return (
    <div className="page" data-testid="page-open-trace">
      <PageHeader
        title="Open trace"
        subtitle={loaded ? <span className="mono">{loaded.name}</span> : "A trace from a file, not stored"}
        actions={
          <Link className="button" to="/traces">
            ← Search traces
          </Link>
        }
      />
      {!trace || !details ? (
        <FilePicker onFile={onFile} error={error} />
      ) : (
        <TraceView
          traceId={trace.traceId}
          spans={trace.spans}
          details={details}
          actions={
            <>
              <span className="badge badge-neutral" data-testid="trace-source">
                {loaded.file.format === "otlp" ? "OTLP" : "Jaeger"} file
              </span>
              {loaded.file.traces.length > 1 && (
                <select
                  aria-label="Trace in this file"
                  data-testid="trace-file-choice"
                  value={loaded.chosen}
                  onChange={(e) => setLoaded({ ...loaded, chosen: Number(e.target.value) })}
                >
                  {loaded.file.traces.map((t, i) => (
                    <option key={t.traceId} value={i}>
                      {t.traceId} ({t.spans.length} spans)
                    </option>
                  ))}
                </select>
              )}
              <button type="button" className="button" data-testid="open-another-file" onClick={() => setLoaded(null)}>
                Open another file
              </button>
            </>
          }
        />
      )}
    </div>
  );
}
