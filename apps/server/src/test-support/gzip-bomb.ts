/**
 * A gzip bomb: about 1 MiB of gzip that inflates to `inflatedBytes` (1 GiB by default) of zeros. Built from
 * concatenated gzip members (RFC 1952 §2.2 allows several; zlib inflates them in sequence), so building it
 * costs one 16 MiB compression instead of compressing a whole gibibyte.
 */
import { gzipSync } from "node:zlib";

export function gzipBomb(inflatedBytes = 1024 ** 3): Buffer {
  const memberBytes = 16 * 1024 * 1024;
  const member = gzipSync(Buffer.alloc(memberBytes), { level: 9 });
  const members = Math.ceil(inflatedBytes / memberBytes);
  return Buffer.concat(Array.from({ length: members }, () => member));
}
