// The stable validation codes. A code never changes meaning once shipped: the UI, saved revisions and users'
// scripts refer to it. Where Kiali has the same check, `kia` names its code (Kiali models/istio_validation.go),
// and `ist` names Istio's analyzer message, so people coming from either tool recognise the finding.
//
// Severity follows what happens at runtime: `error` where Istio rejects the object or traffic fails (503s,
// rejected apply), `warning` where Istio accepts it but the result is probably not what was meant.
import type { ValidationMessage, ValidationSeverity } from "@meshscope/model";

export interface ValidationCodeInfo {
  severity: ValidationSeverity;
  description: string;
  /** Kiali's equivalent (KIA code), when Kiali has one. */
  kia?: string;
  /** Istio's equivalent (webhook rule or `istioctl analyze` IST code), when Istio has one. */
  ist?: string;
}

export const VALIDATION_CODES = {
  // Layer 1: the CRD schema (kube-apiserver).
  MS0001: { severity: "error", description: "Not an Istio kind and API version Meshscope reads" },
  MS0002: {
    severity: "error",
    description: "Unknown field (the apiserver would drop it; kubectl --validate=strict rejects it)",
  },
  MS0003: { severity: "error", description: "Field has the wrong type" },
  MS0004: { severity: "error", description: "Required field is missing" },
  MS0005: { severity: "error", description: "Value is not one of the allowed values" },
  MS0006: { severity: "error", description: "Value is outside the allowed range or length" },
  MS0007: { severity: "error", description: "Fields that exclude each other are set together" },
  // Layer 2: VirtualService.
  MS0101: {
    severity: "error",
    description: "Route to a subset no DestinationRule defines for the host (503 NC at runtime)",
    kia: "KIA1107",
    ist: "IST0101",
  },
  MS0102: {
    severity: "warning",
    description: "Route weights do not sum to 100 (Istio ≥ 1.15 treats them as relative)",
  },
  MS0103: {
    severity: "warning",
    description: "Rule can never match: an earlier rule matches every request",
    ist: "IST0130",
  },
  MS0104: {
    severity: "warning",
    description: "More than one VirtualService for the same host and gateway",
    kia: "KIA1106",
    ist: "IST0109",
  },
  MS0105: {
    severity: "error",
    description: "Fault abort HTTP status outside 200–599 (istiod rejects it)",
  },
  MS0106: {
    severity: "error",
    description: "Route destination host is not a known service or ServiceEntry host",
    kia: "KIA1101",
  },
  MS0107: {
    severity: "warning",
    description: "Mirror to the same host and subset the rule already routes to",
  },
  MS0108: {
    severity: "error",
    description: "Reference to a Gateway that does not exist",
    kia: "KIA1102",
  },
  // Layer 2: DestinationRule.
  MS0201: {
    severity: "error",
    description: "Subset labels match no known workload (503 UH at runtime)",
    kia: "KIA0203",
  },
  MS0202: {
    severity: "error",
    description: "DestinationRule TLS mode DISABLE/SIMPLE towards workloads that STRICT mTLS protects",
    kia: "KIA0207",
  },
  MS0203: {
    severity: "error",
    description: "DestinationRule host is not a known service or ServiceEntry host",
    kia: "KIA0202",
  },
  // Layer 2: fields of any kind.
  MS0301: {
    severity: "error",
    description: "Duration is not like 5s, 250ms or 1.5s, is under 1ms, or is not in whole milliseconds",
  },
  MS0302: {
    severity: "error",
    description: "Percentage outside 0–100",
  },
} as const satisfies Record<string, ValidationCodeInfo>;

export type ValidationCode = keyof typeof VALIDATION_CODES;

/** A finding with the severity its code carries. */
export function validationMessage(code: ValidationCode, path: string, message: string): ValidationMessage {
  return { severity: VALIDATION_CODES[code].severity, code, message, path };
}
