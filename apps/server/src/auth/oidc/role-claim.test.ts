import { describe, expect, it } from "vitest";
import { claimValue, displayName, roleFromClaim } from "./role-claim.js";

describe("roleFromClaim", () => {
  it("takes the highest Meshscope role from an array, ignoring the provider's other groups", () => {
    expect(roleFromClaim(["developers", "viewer", "admin", "editor"])).toBe("admin");
    expect(roleFromClaim(["viewer", "editor"])).toBe("editor");
  });

  it("accepts a single string", () => {
    expect(roleFromClaim("editor")).toBe("editor");
  });

  it("finds no role in other values", () => {
    for (const value of [undefined, null, "", "Admin", "superuser", 3, { role: "admin" }, [["admin"]], []]) {
      expect(roleFromClaim(value)).toBeNull();
    }
  });
});

describe("claimValue", () => {
  it("prefers a top-level claim whose name has dots (namespaced claims)", () => {
    const claims = { "https://meshscope.example/roles": ["admin"], https: { "//meshscope": "no" } };
    expect(claimValue(claims, "https://meshscope.example/roles")).toEqual(["admin"]);
  });

  it("follows a dotted name into nested claims, as Keycloak nests realm roles", () => {
    expect(claimValue({ realm_access: { roles: ["viewer"] } }, "realm_access.roles")).toEqual(["viewer"]);
    expect(claimValue({ realm_access: ["roles"] }, "realm_access.roles")).toBeUndefined();
    expect(claimValue({}, "realm_access.roles")).toBeUndefined();
  });

  it("does not read inherited properties", () => {
    expect(claimValue({}, "constructor")).toBeUndefined();
    expect(claimValue({ a: {} }, "a.constructor")).toBeUndefined();
  });
});

describe("displayName", () => {
  it("uses preferred_username, then email, then sub", () => {
    expect(displayName({ preferred_username: "alice", email: "a@x" }, "s1")).toBe("alice");
    expect(displayName({ preferred_username: " ", email: "a@x" }, "s1")).toBe("a@x");
    expect(displayName({ email: 5 }, "s1")).toBe("s1");
  });
});
