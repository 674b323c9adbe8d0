/**
 * The bodies the forms send, checked against the server's own zod schemas (`@meshscope/mesh-config`
 * WIZARD_BODY_SCHEMAS): the forms and the API cannot drift apart without this failing.
 */
import { WIZARD_BODY_SCHEMAS } from "@meshscope/mesh-config";
import { WIZARDS } from "@meshscope/model";
import { describe, expect, it } from "vitest";
import { initialForm } from "./form-state";
import { wizardBody } from "./form-to-body";
import { setWeight } from "./linked-weights";

const target = { namespace: "bookinfo", service: "reviews" };
const versions = ["v1", "v2", "v3"];

function issues(wizard: (typeof WIZARDS)[number], body: unknown): string[] {
  const result = WIZARD_BODY_SCHEMAS[wizard].safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("wizard bodies against the server's schemas", () => {
  it("accepts the body of every wizard's default form", () => {
    for (const wizard of WIZARDS) {
      expect({ wizard, issues: issues(wizard, wizardBody(initialForm(wizard, versions), target)) }).toEqual({
        wizard,
        issues: [],
      });
    }
  });

  it("accepts traffic shifting with a mirrored version and every switch of the other forms turned on", () => {
    const shifting = initialForm("traffic-shifting", versions);
    if (shifting.wizard !== "traffic-shifting") throw new Error("unexpected form");
    shifting.form.weights = setWeight(shifting.form.weights, "v3", 0, new Set(["v3"]));
    shifting.form.mirror = { enabled: true, version: "v3", percentage: 50 };
    expect(issues("traffic-shifting", wizardBody(shifting, target))).toEqual([]);

    const fault = initialForm("fault-injection", versions);
    if (fault.wizard !== "fault-injection") throw new Error("unexpected form");
    fault.form.delay.enabled = true;
    expect(issues("fault-injection", wizardBody(fault, target))).toEqual([]);

    const breaker = initialForm("circuit-breaker", versions);
    if (breaker.wizard !== "circuit-breaker") throw new Error("unexpected form");
    breaker.form.outlier.enabled = true;
    expect(issues("circuit-breaker", wizardBody(breaker, target))).toEqual([]);

    for (const mode of ["PERMISSIVE", "DISABLE"] as const) {
      expect(issues("mtls", { ...target, mode, scope: "namespace" })).toEqual([]);
    }
  });
});
