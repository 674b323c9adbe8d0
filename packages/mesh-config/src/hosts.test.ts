import { describe, expect, it } from "vitest";
import { hostMatches, shortServiceName, toFqdn } from "./hosts.js";

describe("toFqdn", () => {
  it.each([
    ["reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.bookinfo", "default", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.bookinfo.svc", "default", "reviews.bookinfo.svc.cluster.local"],
    ["reviews.bookinfo.svc.cluster.local", "other", "reviews.bookinfo.svc.cluster.local"],
    ["Reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local"],
    ["www.googleapis.com", "bookinfo", "www.googleapis.com"],
    ["*", "bookinfo", "*"],
    ["*.example.com", "bookinfo", "*.example.com"],
    ["10.0.0.1", "bookinfo", "10.0.0.1"],
  ])("resolves %s seen from namespace %s to %s", (host, namespace, fqdn) => {
    expect(toFqdn(host, namespace)).toBe(fqdn);
  });
});

describe("shortServiceName", () => {
  it.each([
    ["reviews", "reviews"],
    ["reviews.bookinfo", "reviews"],
    ["reviews.bookinfo.svc", "reviews"],
    ["reviews.bookinfo.svc.cluster.local", "reviews"],
    ["www.googleapis.com", "www.googleapis.com"],
    ["*.example.com", "*.example.com"],
  ])("names %s as %s", (host, name) => {
    expect(shortServiceName(host)).toBe(name);
  });
});

describe("hostMatches", () => {
  it.each([
    ["reviews", "reviews.bookinfo.svc.cluster.local", "bookinfo", true],
    ["reviews", "reviews.default.svc.cluster.local", "bookinfo", false],
    ["reviews.bookinfo.svc.cluster.local", "reviews", "bookinfo", true],
    ["reviews.bookinfo", "reviews", "bookinfo", true],
    ["ratings", "reviews", "bookinfo", false],
    ["*", "reviews.bookinfo.svc.cluster.local", "bookinfo", true],
    ["*", "*.example.com", "bookinfo", true],
    ["*.example.com", "a.example.com", "bookinfo", true],
    ["*.example.com", "a.b.example.com", "bookinfo", true],
    ["*.example.com", "example.com", "bookinfo", false],
    ["*.example.com", "badexample.com", "bookinfo", false],
    ["*.example.com", "*.b.example.com", "bookinfo", true],
    ["a.example.com", "*.example.com", "bookinfo", false],
    ["*.b.example.com", "*.example.com", "bookinfo", false],
    ["*.bookinfo.svc.cluster.local", "ratings", "bookinfo", true],
    ["*.bookinfo.svc.cluster.local", "ratings", "default", false],
    ["*.com", "example.com", "bookinfo", true],
    ["example.com", "example.com", "bookinfo", true],
    ["WWW.Example.COM", "www.example.com", "bookinfo", true],
  ])("pattern %s covers %s (in namespace %s): %s", (pattern, host, namespace, expected) => {
    expect(hostMatches(pattern, host, namespace)).toBe(expected);
  });

  it("resolves short names against the default namespace when none is given", () => {
    expect(hostMatches("reviews", "reviews.default.svc.cluster.local")).toBe(true);
  });
});
