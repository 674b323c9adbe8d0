import { describe, expect, it } from "vitest";
import { meshEditPermission } from "./permissions";

describe("meshEditPermission", () => {
  it("refuses a viewer, naming the role in the reason", () => {
    expect(meshEditPermission({ name: "ro", role: "viewer", via: "session" })).toEqual({
      allowed: false,
      reason: "Your role (viewer) cannot change mesh config",
    });
  });

  it("allows editors, admins and the anonymous admin of anonymous mode", () => {
    expect(meshEditPermission({ name: "ed", role: "editor", via: "session" }).allowed).toBe(true);
    expect(meshEditPermission({ name: "ad", role: "admin", via: "bearer" }).allowed).toBe(true);
    expect(meshEditPermission({ name: "anonymous", role: "admin", via: "anonymous" }).allowed).toBe(true);
  });

  it("leaves the decision to the server while nobody is known yet", () => {
    expect(meshEditPermission(undefined).allowed).toBe(true);
    expect(meshEditPermission(null).allowed).toBe(true);
  });
});
