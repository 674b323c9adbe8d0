import { describe, expect, it } from "vitest";
import {
  DEFAULT_SHELL_STATE,
  formatWindow,
  parseWindowText,
  pathWithShell,
  readShellState,
  refreshIntervalMs,
  shellApiParams,
  shellSearch,
  writeShellState,
} from "./shell-url";

describe("shell URL state", () => {
  it("reads the defaults from an empty query string", () => {
    expect(readShellState(new URLSearchParams(""))).toEqual(DEFAULT_SHELL_STATE);
  });

  it("round-trips every key through the query string", () => {
    const state = {
      windowSeconds: 900,
      endUs: 1_700_000_000_000_000,
      namespaces: ["a", "b"],
      refresh: "live" as const,
    };
    expect(readShellState(new URLSearchParams(shellSearch(state)))).toEqual(state);
  });

  it("leaves defaults out of the URL", () => {
    expect(shellSearch(DEFAULT_SHELL_STATE)).toBe("");
    expect(shellSearch({ ...DEFAULT_SHELL_STATE, windowSeconds: 3600 })).toBe("window=3600");
  });

  it("falls back to the default for values that do not parse", () => {
    const state = readShellState(new URLSearchParams("window=soon&end=-5&refresh=5s&namespaces=,,"));
    expect(state).toEqual(DEFAULT_SHELL_STATE);
    expect(readShellState(new URLSearchParams("window=99999999")).windowSeconds).toBe(300);
  });

  it("sorts and deduplicates namespaces so equal selections make equal links", () => {
    expect(readShellState(new URLSearchParams("namespaces=b, a,b")).namespaces).toEqual(["a", "b"]);
  });

  it("keeps the keys of other features when writing the shell state", () => {
    const next = writeShellState(new URLSearchParams("type=app&window=60&selected=x"), {
      ...DEFAULT_SHELL_STATE,
      refresh: "off",
    });
    expect(next.toString()).toBe("type=app&selected=x&refresh=off");
  });

  it("builds links that carry the shell state and extra keys", () => {
    const state = { ...DEFAULT_SHELL_STATE, namespaces: ["bookinfo"] };
    expect(pathWithShell("/graph", state, { selected: "a -> b" })).toBe("/graph?namespaces=bookinfo&selected=a+-%3E+b");
    expect(pathWithShell("/services", DEFAULT_SHELL_STATE)).toBe("/services");
  });

  it("polls only for interval refresh modes of a window that ends now", () => {
    expect(refreshIntervalMs({ refresh: "10s", endUs: null })).toBe(10_000);
    expect(refreshIntervalMs({ refresh: "30s", endUs: null })).toBe(30_000);
    expect(refreshIntervalMs({ refresh: "live", endUs: null })).toBe(false);
    expect(refreshIntervalMs({ refresh: "10s", endUs: 1 })).toBe(false);
  });

  it("gives the API its parameters, leaving out what defaults to all or now", () => {
    expect(shellApiParams(DEFAULT_SHELL_STATE)).toEqual({ window: 300 });
    expect(shellApiParams({ ...DEFAULT_SHELL_STATE, endUs: 5, namespaces: ["a", "b"] })).toEqual({
      window: 300,
      end: 5,
      namespaces: "a,b",
    });
  });
});

describe("custom windows", () => {
  it("parses durations a person types", () => {
    expect(parseWindowText("90")).toBe(90);
    expect(parseWindowText("45m")).toBe(2700);
    expect(parseWindowText("1h30m")).toBe(5400);
    expect(parseWindowText(" 2h 15m ")).toBe(8100);
    expect(parseWindowText("1d")).toBe(86_400);
  });

  it("refuses text that is not a duration or exceeds 30 days", () => {
    expect(parseWindowText("")).toBeNull();
    expect(parseWindowText("soon")).toBeNull();
    expect(parseWindowText("5m later")).toBeNull();
    expect(parseWindowText("0")).toBeNull();
    expect(parseWindowText("31d")).toBeNull();
  });

  it("formats windows with at most two units", () => {
    expect(formatWindow(300)).toBe("5m");
    expect(formatWindow(5400)).toBe("1h 30m");
    expect(formatWindow(90_061)).toBe("1d 1h");
  });
});
