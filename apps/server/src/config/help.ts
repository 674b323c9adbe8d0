/** `meshscope --help`: every flag with its environment variable and default, generated from the option table. */
import { BOOLEAN_OPTIONS, CONFIG_FILE_FLAG, OPTION_DOCS, type OptionKey } from "./options.js";

export function renderHelp(): string {
  const rows: [string, string, string, string][] = [
    ["Flag", "Environment variable", "", "Meaning [YAML key]"],
    ["--help", "", "", "print this help and exit"],
    [`${CONFIG_FILE_FLAG.flag} <file>`, CONFIG_FILE_FLAG.env, "", "YAML file with any of the keys below"],
  ];
  for (const key of Object.keys(OPTION_DOCS) as OptionKey[]) {
    const doc = OPTION_DOCS[key];
    const flag = key === "demo" ? "--demo / --no-demo" : BOOLEAN_OPTIONS.has(key) ? doc.flag : `${doc.flag} <value>`;
    rows.push([flag, doc.env, doc.default, `${doc.help} [${key}]`]);
  }
  const width = (col: 0 | 1) => Math.max(...rows.map((r) => r[col].length));
  const lines = rows.map(
    ([flag, env, def, help]) =>
      `  ${flag.padEnd(width(0))}  ${env.padEnd(width(1))}  ${help}${def ? ` (default: ${def})` : ""}`,
  );
  return [
    "Usage: meshscope [flags]",
    "",
    "Meshscope: service-mesh observability console. Ingests OTLP and Zipkin spans into SQLite and serves the UI.",
    "Precedence: flags > environment variables > YAML file (--config) > defaults. YAML keys in [brackets].",
    'Ports: 0 disables a listener; "ephemeral" lets the OS choose. Durations: 250ms, 15s, 5m, 7d. Sizes: 16MiB.',
    "",
    ...lines,
    "",
    "Secrets come from the environment only, never a flag (flags show in `ps`):",
    "  MESHSCOPE_OIDC_CLIENT_SECRET  the OIDC client secret (--auth oidc; absent = a public client)",
    "",
    "Subcommands:",
    "  meshscope hash-token   reads a token on stdin, prints its sha256 for the tokens file",
    "",
  ].join("\n");
}
