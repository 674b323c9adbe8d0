import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NewRevision, openRevisionStore } from "./revisions.js";

const ref = { kind: "VirtualService", namespace: "bookinfo", name: "reviews" };

function revision(n: number, overrides: Partial<NewRevision> = {}): NewRevision {
  return {
    timeUs: 1_700_000_000_000_000 + n,
    author: "anonymous",
    message: `change ${n}`,
    wizard: "traffic-shifting",
    rollbackOf: null,
    changes: [
      {
        ref,
        action: n === 1 ? "create" : "update",
        before: n === 1 ? null : `v: ${n - 1}\n`,
        after: `v: ${n}\n`,
        unmanaged: false,
      },
    ],
    diff: `diff ${n}`,
    ...overrides,
  };
}

describe("the revision store", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "meshscope-revisions-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps revisions in the database file across reopening, newest first", () => {
    const file = path.join(dir, "meshscope.db");
    const first = openRevisionStore(file);
    const one = first.record(revision(1));
    first.record(revision(2));
    first.close();
    const again = openRevisionStore(file);
    try {
      expect(again.list(10).map((r) => [r.id, r.message])).toEqual([
        [one.id + 1, "change 2"],
        [one.id, "change 1"],
      ]);
      expect(again.get(one.id)).toMatchObject({
        author: "anonymous",
        wizard: "traffic-shifting",
        rollbackOf: null,
        objects: [{ ref, action: "create" }],
        changes: [{ ref, before: null, after: "v: 1\n" }],
        diff: "diff 1",
      });
    } finally {
      again.close();
    }
  });

  it("answers the revisions after a given one, oldest first, and null for an unknown id", () => {
    const store = openRevisionStore(path.join(dir, "meshscope.db"));
    try {
      const ids = [1, 2, 3].map((n) => store.record(revision(n)).id);
      expect(store.after(ids[0] ?? 0).map((r) => r.message)).toEqual(["change 2", "change 3"]);
      expect(store.get(999)).toBeNull();
      expect(store.list(1)).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
