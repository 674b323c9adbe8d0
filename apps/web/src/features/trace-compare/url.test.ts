import { describe, expect, it } from "vitest";
import { comparePath, readCompareIds } from "./url";

describe("comparison URL", () => {
  it("round-trips the two trace ids", () => {
    const a = "0af7651916cd43dd8448eb211c80319c";
    const b = "b7ad6b7169203331";
    expect(readCompareIds(new URL(comparePath(a, b), "http://x").searchParams)).toEqual({ a, b });
  });

  it("refuses ids that are not hex trace ids", () => {
    expect(readCompareIds(new URLSearchParams("a=../../api&b=<script>"))).toEqual({ a: null, b: null });
    expect(readCompareIds(new URLSearchParams(""))).toEqual({ a: null, b: null });
  });
});
