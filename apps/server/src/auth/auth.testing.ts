/**
 * For the auth tests: a tokens file with one token per role in a temporary directory, a server started with it
 * through the real config loader, and small request helpers.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StartOptions } from "../app.js";
import type { MeshscopeConfig } from "../config/load-config.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";
import { hashToken, type TokenRole } from "./tokens-file.js";

export interface TestTokens {
  viewer: string;
  editor: string;
  admin: string;
  ingest: string;
}

/** The token names recorded as revision authors. */
export const TOKEN_NAMES: Record<TokenRole, string> = {
  viewer: "vera-viewer",
  editor: "eddie-editor",
  admin: "ada-admin",
  ingest: "otel-collector",
};

export function writeTokensFile(dir: string): { file: string; tokens: TestTokens } {
  const tokens: TestTokens = {
    viewer: randomBytes(24).toString("base64url"),
    editor: randomBytes(24).toString("base64url"),
    admin: randomBytes(24).toString("base64url"),
    ingest: randomBytes(24).toString("base64url"),
  };
  const lines = (Object.keys(tokens) as (keyof TestTokens)[]).map(
    (role) => `  - { name: ${TOKEN_NAMES[role]}, role: ${role}, sha256: ${hashToken(tokens[role]).toString("hex")} }`,
  );
  const file = path.join(dir, "tokens.yaml");
  writeFileSync(file, `tokens:\n${lines.join("\n")}\n`);
  return { file, tokens };
}

export interface AuthTestServer {
  server: TestServer;
  tokens: TestTokens;
  url: (p: string) => string;
  stop(): Promise<void>;
}

/** A server with `--tokens-file` and the given flags (e.g. `--auth token --ingest-auth token`). */
export async function startAuthTestServer(
  args: readonly string[],
  options: StartOptions = {},
  overrides: Partial<MeshscopeConfig> = {},
): Promise<AuthTestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "meshscope-auth-"));
  const { file, tokens } = writeTokensFile(dir);
  let server: TestServer;
  try {
    server = await startTestServer(overrides, options, ["--tokens-file", file, ...args]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    tokens,
    url: (p) => `${server.consoleUrl}${p}`,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** The `name=value` of a Set-Cookie header, for sending it back. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0] ?? "";
}
