import { describe, expect, it } from "vitest";
import { meshConfigPath, parseObjectRef, readMeshConfigUrl, writeMeshConfigUrl } from "./url";

describe("mesh config page URL", () => {
  it("reads filters, the open object and the open revision from the query string", () => {
    const state = readMeshConfigUrl(
      new URLSearchParams("tab=revisions&ns=bookinfo&kind=VirtualService&obj=VirtualService/bookinfo/reviews&rev=7"),
    );
    expect(state).toEqual({
      tab: "revisions",
      namespace: "bookinfo",
      kind: "VirtualService",
      object: { kind: "VirtualService", namespace: "bookinfo", name: "reviews" },
      revision: 7,
    });
  });

  it("falls back to the objects tab and ignores malformed object refs and revision ids", () => {
    const state = readMeshConfigUrl(new URLSearchParams("tab=nope&obj=a/b&rev=-3"));
    expect(state).toMatchObject({ tab: "objects", object: null, revision: null });
    expect(parseObjectRef("VirtualService//x")).toBeNull();
  });

  it("writes only what differs from the defaults and keeps unrelated keys", () => {
    const params = writeMeshConfigUrl(new URLSearchParams("window=300"), {
      tab: "objects",
      namespace: "bookinfo",
      kind: "",
      object: null,
      revision: null,
    });
    expect(params.toString()).toBe("window=300&ns=bookinfo");
  });

  it("builds deep links to a revision", () => {
    expect(meshConfigPath({ tab: "revisions", revision: 4 })).toBe("/mesh-config?tab=revisions&rev=4");
    expect(meshConfigPath({})).toBe("/mesh-config");
  });
});
