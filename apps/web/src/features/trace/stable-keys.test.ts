import { describe, expect, it } from "vitest";
import { withStableKeys } from "./stable-keys";

const byTimeAndName = (e: { time: number; name: string }) => `${e.time}:${e.name}`;

describe("stable keys for rows without ids", () => {
  it("gives exact repeats distinct keys and keeps the items in order", () => {
    const events = [
      { time: 5, name: "retry" },
      { time: 5, name: "retry" },
      { time: 7, name: "done" },
    ];
    const keyed = withStableKeys(events, byTimeAndName);
    expect(keyed.map((k) => k.item)).toEqual(events);
    expect(new Set(keyed.map((k) => k.key)).size).toBe(3);
  });

  it("keeps a row's key when rows are appended after it", () => {
    const first = withStableKeys([{ time: 1, name: "a" }], byTimeAndName);
    const more = withStableKeys(
      [
        { time: 1, name: "a" },
        { time: 2, name: "b" },
      ],
      byTimeAndName,
    );
    expect(more[0]?.key).toBe(first[0]?.key);
  });

  it("cannot be forged by content that looks like a repeat count", () => {
    const keyed = withStableKeys(["x", "x", "1:x"], (s) => s);
    expect(new Set(keyed.map((k) => k.key)).size).toBe(3);
  });
});
