/** The find/hide syntax, generated from the field table so the help never drifts from the parser. */
import { FIELDS } from "./find-fields";

export function FindHelp() {
  return (
    <details className="find-help" data-testid="find-help">
      <summary className="button">Syntax</summary>
      <div className="find-help-body">
        <p>
          <code>field op value</code>, with <code>= != &gt; &lt; &gt;= &lt;=</code> and <code>contains</code>,{" "}
          <code>startswith</code>, <code>endswith</code> (or <code>*= ^= $=</code>). Flags stand alone:{" "}
          <code>mtls</code>, <code>!healthy</code>. Combine with <code>and</code> / <code>or</code> (and binds first)
          and parentheses. Text is case-insensitive; latency takes <code>250ms</code> or <code>1.5s</code>.
        </p>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">On</th>
              <th scope="col">Means</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => (
              <tr key={f.name}>
                <td className="mono">
                  {f.name}
                  {f.aliases.length > 0 && <span className="muted"> ({f.aliases.join(", ")})</span>}
                </td>
                <td>{f.on.join(", ")}</td>
                <td>
                  {f.help}
                  {f.kind.kind === "enum" && <span className="muted">: {f.kind.values.join(", ")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
