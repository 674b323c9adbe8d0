/**
 * How to get data in: the receivers of DESIGN §2 with their default ports. Shown as the Overview's empty state,
 * because an empty console is most often a console nobody has pointed an exporter or a mesh at yet.
 */
export function SendSpansHelp({ host, consoleOrigin }: { host: string; consoleOrigin: string }) {
  return (
    <div className="send-spans" data-testid="send-spans-help">
      <p>
        Namespaces appear once Istio metrics arrive: Meshscope scrapes Envoy's <code>/stats/prometheus</code> (
        <code>--scrape-targets</code>), accepts Prometheus remote-write and OTLP metrics, and runs a demo mesh unless
        started with <code>--no-demo</code>. The receivers:
      </p>
      <table className="data-table endpoints-table">
        <thead>
          <tr>
            <th scope="col">Protocol</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Typical sender</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>OTLP/gRPC</td>
            <td className="mono">{host}:4317</td>
            <td>OpenTelemetry SDKs, Collector (otlp exporter)</td>
          </tr>
          <tr>
            <td>OTLP/HTTP</td>
            <td className="mono">http://{host}:4318/v1/traces</td>
            <td>SDKs with protobuf or JSON, Collector (otlphttp exporter)</td>
          </tr>
          <tr>
            <td>Remote-write</td>
            <td className="mono">{consoleOrigin}/api/v1/write</td>
            <td>Prometheus, OpenTelemetry Collector (metrics)</td>
          </tr>
          <tr>
            <td>Zipkin v2</td>
            <td className="mono">http://{host}:9411/api/v2/spans</td>
            <td>Envoy / Istio (zipkin tracer)</td>
          </tr>
        </tbody>
      </table>
      <p>For example, for any OpenTelemetry SDK:</p>
      <pre className="code-block">
        {`OTEL_EXPORTER_OTLP_ENDPOINT=http://${host}:4318\nOTEL_SERVICE_NAME=my-service`}
      </pre>
      <p className="muted">OTLP/HTTP and Zipkin also answer on this console's port.</p>
    </div>
  );
}
