import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, type MeshscopeConfig } from "./load-config.js";
import { OPTION_DOCS } from "./options.js";

function config(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}): MeshscopeConfig {
  const result = loadConfig({
    argv,
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file ${path}`);
      return text;
    },
  });
  if (result.kind !== "config") throw new Error("expected a configuration, got help");
  return result.config;
}

function configError(argv: string[], env: Record<string, string> = {}, files: Record<string, string> = {}): string {
  try {
    config(argv, env, files);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("reads health tolerances as degraded,failure percentages and refuses inverted ones", () => {
    expect(config([]).healthThresholds.http4xx).toEqual({ degraded: 10, failure: 20 });
    const c = config(["--health-4xx", "1,5"], { MESHSCOPE_HEALTH_5XX: "0.5, 2" });
    expect(c.healthThresholds.http4xx).toEqual({ degraded: 1, failure: 5 });
    expect(c.healthThresholds.http5xx).toEqual({ degraded: 0.5, failure: 2 });
    expect(configError(["--health-grpc", "20,10"])).toMatch(/--health-grpc: .*degraded ≤ failure/);
    expect(configError(["--health-no-response", "5"])).toMatch(/--health-no-response/);
  });

  it("uses the defaults of DESIGN §2 when nothing is given", () => {
    const c = config([]);
    expect(c).toMatchObject({
      host: "127.0.0.1",
      consolePort: 8080,
      otlpHttpPort: 4318,
      otlpGrpcPort: 4317,
      zipkinPort: 9411,
      dbPath: "./data/meshscope.db",
      meshConfigDir: "./mesh-config",
      demo: true,
      scrapeTargets: [],
      scrapeIntervalMs: 15_000,
      scrapeTimeoutMs: 10_000,
      retentionMs: 7 * 86_400_000,
      logLevel: "info",
    });
  });

  it("lets flags win over environment variables, which win over the YAML file, which wins over defaults", () => {
    const files = { "/etc/m.yaml": "port: 7000\notlpHttpPort: 7001\nzipkinPort: 7002\nretention: 2d\n" };
    const env = { MESHSCOPE_CONFIG: "/etc/m.yaml", MESHSCOPE_PORT: "6000", MESHSCOPE_OTLP_HTTP_PORT: "6001" };
    const c = config(["--port", "5000"], env, files);
    expect(c.consolePort).toBe(5000); // flag over env over file
    expect(c.otlpHttpPort).toBe(6001); // env over file
    expect(c.zipkinPort).toBe(7002); // file over default
    expect(c.retentionMs).toBe(2 * 86_400_000);
    expect(c.otlpGrpcPort).toBe(4317); // default
  });

  it("accepts --flag=value, --no-demo, port 0 (disabled) and ephemeral ports", () => {
    const c = config(["--otlp-grpc-port=0", "--no-demo", "--port", "ephemeral", "--retention=1h30m"]);
    expect(c.otlpGrpcPort).toBe(0);
    expect(c.demo).toBe(false);
    expect(c.consolePort).toBe("ephemeral");
    expect(c.retentionMs).toBe(90 * 60_000);
  });

  it("parses sizes, durations and URL lists", () => {
    const c = config(["--max-body-size", "2MiB", "--scrape-interval", "250ms"], {
      MESHSCOPE_MAX_DECOMPRESSED_SIZE: "10mb",
      MESHSCOPE_SCRAPE_TARGETS: "http://a:15090/stats/prometheus, http://b:15020/stats/prometheus",
    });
    expect(c.maxBodyBytes).toBe(2 * 1024 * 1024);
    expect(c.maxDecompressedBytes).toBe(10_000_000);
    expect(c.scrapeIntervalMs).toBe(250);
    expect(c.scrapeTargets).toEqual(["http://a:15090/stats/prometheus", "http://b:15020/stats/prometheus"]);
  });

  it("runs the demo at 20 rps, seed 1, every request traced, 30 % logged in, scraped every 5 s by default", () => {
    expect(config([])).toMatchObject({
      demoRps: 20,
      demoSeed: 1,
      demoSampleRate: 1,
      demoLoggedInShare: 0.3,
      demoScrapeIntervalMs: 5000,
    });
  });

  it("takes the demo settings from flags, environment variables and the YAML file", () => {
    const files = { "/etc/m.yaml": "demoSeed: 7\ndemoScrapeInterval: 1s\n" };
    const env = { MESHSCOPE_CONFIG: "/etc/m.yaml", MESHSCOPE_DEMO_SAMPLE_RATE: "0.25" };
    const c = config(["--demo-rps", "150", "--demo-logged-in-share=0.5"], env, files);
    expect(c).toMatchObject({
      demoRps: 150,
      demoSeed: 7,
      demoSampleRate: 0.25,
      demoLoggedInShare: 0.5,
      demoScrapeIntervalMs: 1000,
    });
  });

  it("refuses demo settings out of range, naming the flag", () => {
    expect(configError(["--demo-rps", "0"])).toMatch(/^--demo-rps: expected a number above 0/);
    expect(configError(["--demo-sample-rate", "1.5"])).toMatch(/^--demo-sample-rate: expected a share between 0 and 1/);
    expect(configError([], { MESHSCOPE_DEMO_SEED: "-1" })).toMatch(/^MESHSCOPE_DEMO_SEED: expected a non-negative/);
  });

  it("names the flag or variable that holds an invalid value", () => {
    expect(configError(["--port", "99999"])).toMatch(/^--port: expected a port/);
    expect(configError([], { MESHSCOPE_RETENTION: "forever" })).toMatch(/^MESHSCOPE_RETENTION: expected a duration/);
    expect(configError([], { MESHSCOPE_LOG_LEVEL: "loud" })).toMatch(/MESHSCOPE_LOG_LEVEL: expected debug, info/);
    expect(configError(["--bogus"])).toBe("unknown flag --bogus (see --help)");
    expect(configError(["--db"])).toBe("--db needs a value");
  });

  it("reports every invalid value at once", () => {
    const message = configError(["--port", "x"], { MESHSCOPE_DEMO: "maybe" });
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toContain("--port");
    expect(message).toContain("MESHSCOPE_DEMO");
  });

  it("rejects unknown YAML keys with the file name and the known keys", () => {
    const message = configError(["--config", "m.yaml"], {}, { "m.yaml": "port: 1\nprot: 2\n" });
    expect(message).toMatch(/^m\.yaml: unknown key "prot" \(known keys: host, port,/);
  });

  it("names the YAML key of an invalid value in the file", () => {
    expect(configError(["--config", "m.yaml"], {}, { "m.yaml": "zipkinPort: -1\n" })).toMatch(/^m\.yaml: zipkinPort: /);
  });

  it("writes mesh config to the files target unless --mesh-target or MESHSCOPE_MESH_TARGET says kubernetes", () => {
    expect(config([])).toMatchObject({ meshTarget: "files", kubeconfig: null });
    expect(config(["--mesh-target", "kubernetes", "--kubeconfig", "/etc/kube/config"])).toMatchObject({
      meshTarget: "kubernetes",
      kubeconfig: "/etc/kube/config",
    });
    expect(config([], { MESHSCOPE_MESH_TARGET: "Kubernetes", MESHSCOPE_KUBECONFIG: "/k" })).toMatchObject({
      meshTarget: "kubernetes",
      kubeconfig: "/k",
    });
    expect(configError(["--mesh-target", "git"])).toMatch(/^--mesh-target: expected files or kubernetes/);
  });

  it("refuses a batch size larger than the queue", () => {
    expect(configError(["--queue-spans", "10", "--batch-spans", "20"])).toMatch(/--batch-spans \(20\) must not exceed/);
  });

  it("accepts a YAML list of scrape targets", () => {
    const c = config(["--config", "m.yaml"], {}, { "m.yaml": "scrapeTargets:\n  - http://x:1/m\n  - http://y:2/m\n" });
    expect(c.scrapeTargets).toEqual(["http://x:1/m", "http://y:2/m"]);
  });
});

describe("--help", () => {
  it("lists every flag with its environment variable and default", () => {
    const result = loadConfig({ argv: ["--help"], env: {} });
    if (result.kind !== "help") throw new Error("expected help");
    for (const doc of Object.values(OPTION_DOCS)) {
      const line = result.text.split("\n").find((l) => l.trimStart().startsWith(`${doc.flag} `));
      expect(line, doc.flag).toBeDefined();
      expect(line).toContain(doc.env);
      if (doc.default !== "") expect(line).toContain(`(default: ${doc.default})`);
    }
    expect(result.text).toContain("--config <file>");
    expect(result.text).toContain("MESHSCOPE_CONFIG");
  });
});

describe("loadConfig: auth settings", () => {
  const sha = "a".repeat(64);
  const tokens = { "/etc/tokens.yaml": `tokens:\n  - {name: ci, role: ingest, sha256: ${sha}}\n` };

  it("defaults to anonymous, no ingest auth, no OIDC", () => {
    expect(config([]).auth).toMatchObject({
      mode: "anonymous",
      allowAnonymousRemote: false,
      tokensFile: null,
      tokens: [],
      ingestAuth: "none",
      publicUrl: null,
      oidc: null,
    });
  });

  it("reads the tokens file named by flag or variable, and takes --allow-anonymous-remote as a bare flag", () => {
    const c = config(
      ["--auth", "token", "--allow-anonymous-remote"],
      { MESHSCOPE_TOKENS_FILE: "/etc/tokens.yaml" },
      tokens,
    );
    expect(c.auth.mode).toBe("token");
    expect(c.auth.allowAnonymousRemote).toBe(true);
    expect(c.auth.tokens.map((t) => t.name)).toEqual(["ci"]);
  });

  it("refuses token mode or ingest auth without tokens, and OIDC without issuer and client id", () => {
    expect(configError(["--auth", "token"])).toMatch(/--auth token needs --tokens-file/);
    expect(configError(["--ingest-auth", "token"])).toMatch(/--ingest-auth token needs --tokens-file/);
    expect(configError(["--auth", "oidc", "--oidc-issuer", "https://id.example"])).toMatch(
      /--auth oidc needs --oidc-issuer .* and --oidc-client-id/,
    );
    expect(configError(["--auth", "magic"])).toMatch(/--auth: expected anonymous or token or oidc/);
  });

  it("names the bad entry of a bad tokens file, and a file it cannot read", () => {
    const bad = { "/t.yaml": "tokens:\n  - {name: eve, role: root, sha256: abc}\n" };
    expect(configError(["--tokens-file", "/t.yaml"], {}, bad)).toMatch(
      /--tokens-file: \/t\.yaml: tokens\[0\] \("eve"\)/,
    );
    expect(configError(["--tokens-file", "/missing.yaml"])).toMatch(/--tokens-file: cannot read \/missing\.yaml/);
  });

  it("refuses anonymous access on a non-loopback host unless --allow-anonymous-remote", () => {
    expect(configError(["--host", "0.0.0.0"])).toMatch(
      /--auth anonymous on --host 0\.0\.0\.0 .*--allow-anonymous-remote/,
    );
    expect(config(["--host", "0.0.0.0", "--allow-anonymous-remote"]).host).toBe("0.0.0.0");
    expect(config(["--host", "::1"]).auth.mode).toBe("anonymous");
    const tokens = { "/t.yaml": `tokens:\n  - {name: a, role: admin, sha256: ${"b".repeat(64)}}\n` };
    expect(config(["--host", "0.0.0.0", "--auth", "token", "--tokens-file", "/t.yaml"], {}, tokens).host).toBe(
      "0.0.0.0",
    );
  });

  it("takes the OIDC client secret from the environment only", () => {
    const c = config(["--auth", "oidc", "--oidc-issuer", "https://id.example/", "--oidc-client-id", "meshscope"], {
      MESHSCOPE_OIDC_CLIENT_SECRET: "s3cret",
      MESHSCOPE_OIDC_DEFAULT_ROLE: "viewer",
      MESHSCOPE_PUBLIC_URL: "https://mesh.example/",
    });
    expect(c.auth.oidc).toEqual({
      issuer: "https://id.example",
      clientId: "meshscope",
      clientSecret: "s3cret",
      roleClaim: "roles",
      defaultRole: "viewer",
      scopes: "openid profile email",
    });
    expect(c.auth.publicUrl).toBe("https://mesh.example");
    expect(configError(["--oidc-client-secret", "x"])).toMatch(/unknown flag --oidc-client-secret/);
  });
});
