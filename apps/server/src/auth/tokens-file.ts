/**
 * The tokens file (DESIGN §5–6): `tokens: [{ name, role, sha256 }]`, where `sha256` is the hex SHA-256 of the
 * bearer token. Only hashes are stored, so the file (and a backup or a leaked copy of it) never holds a usable
 * credential; tokens are long random strings, so an unsalted fast hash is enough (no dictionary to attack).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ROLES } from "@meshscope/model";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { describeZodError } from "../api/errors.js";

/** The console roles plus `ingest`, which may only push telemetry (OTLP, Zipkin, remote-write). */
export const TOKEN_ROLES = [...ROLES, "ingest"] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

const TokenEntrySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(TOKEN_ROLES),
  sha256: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, "expected the 64 hex digits of the token's SHA-256 (meshscope hash-token)"),
});
const TokensFileSchema = z.strictObject({ tokens: z.array(z.unknown()) });

export interface TokenEntry {
  name: string;
  role: TokenRole;
  /** The 32 bytes of the token's SHA-256. */
  sha256: Buffer;
}

export class TokensFileError extends Error {
  override name = "TokensFileError";
}

export function hashToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Parses the file's text; every bad entry is named (by index and name) in one error. */
export function parseTokensFile(text: string, file: string): TokenEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new TokensFileError(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const top = TokensFileSchema.safeParse(doc);
  if (!top.success)
    throw new TokensFileError(`${file}: expected \`tokens: [{name, role, sha256}]\`: ${describeZodError(top.error)}`);
  const problems: string[] = [];
  const entries: TokenEntry[] = [];
  top.data.tokens.forEach((raw, i) => {
    const parsed = TokenEntrySchema.safeParse(raw);
    const label = `tokens[${i}]${nameOf(raw)}`;
    if (!parsed.success) problems.push(`${label}: ${describeZodError(parsed.error)}`);
    else entries.push({ ...parsed.data, sha256: Buffer.from(parsed.data.sha256, "hex") });
  });
  const seen = new Set<string>();
  for (const e of entries) {
    // The name is the author of revisions: two tokens with one name would make the history ambiguous.
    if (seen.has(e.name)) problems.push(`token name "${e.name}" is used twice`);
    seen.add(e.name);
  }
  if (problems.length > 0) throw new TokensFileError(`${file}: ${problems.join("; ")}`);
  if (entries.length === 0) throw new TokensFileError(`${file}: no tokens`);
  return entries;
}

function nameOf(raw: unknown): string {
  const named = z.object({ name: z.string() }).safeParse(raw);
  return named.success ? ` ("${named.data.name}")` : "";
}

/** Finds the entry for a presented token, comparing hashes in constant time over every entry. */
export class TokenVerifier {
  private readonly entries: TokenEntry[];

  constructor(entries: readonly TokenEntry[]) {
    this.entries = [...entries];
  }

  get size(): number {
    return this.entries.length;
  }

  verify(token: string): TokenEntry | null {
    const presented = hashToken(token);
    let found: TokenEntry | null = null;
    // No early exit: the time taken does not tell which entry (or whether any) matched.
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.sha256) && found === null) found = entry;
    }
    return found;
  }

  /** Adds a token that lives only in memory (the in-process demo's ingest token). */
  add(entry: TokenEntry): void {
    this.entries.push(entry);
  }
}
