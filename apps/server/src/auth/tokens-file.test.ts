import { describe, expect, it } from "vitest";
import { tokenFromInput } from "./hash-token-command.js";
import { hashToken, parseTokensFile, TokenVerifier } from "./tokens-file.js";

const hex = (token: string) => hashToken(token).toString("hex");

describe("the tokens file", () => {
  it("reads names, roles and hashes, and finds the entry of a presented token", () => {
    const entries = parseTokensFile(
      `tokens:\n  - {name: ci, role: ingest, sha256: ${hex("s3cret-ingest")}}\n  - {name: bob, role: editor, sha256: ${hex("s3cret-bob").toUpperCase()}}\n`,
      "tokens.yaml",
    );
    const verifier = new TokenVerifier(entries);
    expect(verifier.verify("s3cret-bob")).toMatchObject({ name: "bob", role: "editor" });
    expect(verifier.verify("s3cret-ingest")).toMatchObject({ name: "ci", role: "ingest" });
    expect(verifier.verify("s3cret-bo")).toBeNull();
    expect(verifier.verify("")).toBeNull();
  });

  it("names every bad entry by position and name", () => {
    const text = [
      "tokens:",
      `  - {name: ok, role: viewer, sha256: ${hex("a")}}`,
      `  - {name: boss, role: superuser, sha256: ${hex("b")}}`,
      "  - {name: short, role: viewer, sha256: abc}",
      "  - {name: plain, role: viewer, token: hunter2}",
    ].join("\n");
    expect(() => parseTokensFile(text, "t.yaml")).toThrow(/t\.yaml: tokens\[1\] \("boss"\): role/);
    try {
      parseTokensFile(text, "t.yaml");
    } catch (error) {
      const message = String(error);
      expect(message).toContain('tokens[2] ("short"): sha256');
      // A plain token in the file is refused: only hashes belong there.
      expect(message).toContain('tokens[3] ("plain")');
    }
  });

  it("refuses an empty list, a duplicate name and a file that is not the expected shape", () => {
    expect(() => parseTokensFile("tokens: []", "t.yaml")).toThrow(/no tokens/);
    const dup = `tokens:\n  - {name: a, role: viewer, sha256: ${hex("1")}}\n  - {name: a, role: admin, sha256: ${hex("2")}}`;
    expect(() => parseTokensFile(dup, "t.yaml")).toThrow(/"a" is used twice/);
    expect(() => parseTokensFile("- just a list", "t.yaml")).toThrow(/t\.yaml: expected/);
    expect(() => parseTokensFile("tokens: [", "t.yaml")).toThrow(/invalid YAML/);
  });
});

describe("meshscope hash-token", () => {
  it("hashes the token on stdin without its trailing newline", () => {
    expect(tokenFromInput("abc\n")).toBe("abc");
    expect(tokenFromInput("abc\r\n")).toBe("abc");
    expect(tokenFromInput("\n")).toBeNull();
    // Known SHA-256 of "abc" (FIPS 180-2 example).
    expect(hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
