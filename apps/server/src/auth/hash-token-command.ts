/**
 * `meshscope hash-token`: reads a token on stdin and prints the hex SHA-256 the tokens file wants. The token is
 * read from stdin, not an argument, so it does not land in the shell history or in `ps`.
 *
 *   openssl rand -base64 32 | tee token.txt | meshscope hash-token
 */
import { hashToken } from "./tokens-file.js";

/** One trailing newline (as `echo` or a file adds) is not part of the token. */
export function tokenFromInput(text: string): string | null {
  const token = text.replace(/\r?\n$/, "");
  return token.length > 0 && token.length <= 4096 ? token : null;
}

export async function hashTokenCommand(
  input: AsyncIterable<Buffer | string>,
  write: (text: string) => void,
): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const token = tokenFromInput(Buffer.concat(chunks).toString("utf8"));
  if (token === null) {
    write("meshscope hash-token: expected a token (1-4096 characters) on stdin\n");
    return 2;
  }
  write(`${hashToken(token).toString("hex")}\n`);
  return 0;
}
