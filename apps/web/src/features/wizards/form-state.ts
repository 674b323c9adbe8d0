/**
 * The state of each wizard's form. Numbers are already clamped by the inputs (NumberField), durations are a
 * positive integer with a unit, choices are enums: every state maps to a body the server accepts, and the few
 * cross-field rules that remain (at least a delay or an abort, a header name per rule) are `formProblems`.
 */
import type { WizardName } from "@meshscope/model";
import { evenWeights, type VersionWeight } from "./linked-weights";
import type { MtlsMode, MtlsScope } from "./wizard-bodies";

export const DURATION_UNITS = ["ms", "s", "m"] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
/** A Go-style duration as Istio takes it (`250ms`, `5s`): `value` ≥ 1, so never the `0s` Istio rejects. */
export interface DurationForm {
  value: number;
  unit: DurationUnit;
}

export interface TrafficShiftingForm {
  weights: VersionWeight[];
  mirror: { enabled: boolean; version: string; percentage: number };
}

export const MATCH_KINDS = ["header", "uri", "query"] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
export const MATCH_TYPES = ["exact", "prefix", "regex"] as const;
export type MatchType = (typeof MATCH_TYPES)[number];
export interface RouteRuleForm {
  kind: MatchKind;
  /** Header or query parameter name; unused for `uri`. */
  name: string;
  type: MatchType;
  value: string;
  version: string;
}
export interface RequestRoutingForm {
  rules: RouteRuleForm[];
  defaultVersion: string;
}

export interface FaultInjectionForm {
  delay: { enabled: boolean; percent: number; duration: DurationForm };
  abort: { enabled: boolean; percent: number; status: number };
}

export interface TimeoutsRetriesForm {
  timeout: { enabled: boolean; duration: DurationForm };
  retries: {
    enabled: boolean;
    attempts: number;
    perTry: { enabled: boolean; duration: DurationForm };
    retryOn: string;
  };
}

export interface CircuitBreakerForm {
  pool: { enabled: boolean; maxConnections: number; http1MaxPendingRequests: number; maxRequestsPerConnection: number };
  outlier: {
    enabled: boolean;
    consecutive5xxErrors: number;
    interval: DurationForm;
    baseEjectionTime: DurationForm;
    maxEjectionPercent: number;
  };
}

export interface MirroringForm {
  version: string;
  mirrorVersion: string;
  percentage: number;
}

export interface RateLimitForm {
  maxTokens: number;
  tokensPerFill: number;
  fillInterval: DurationForm;
}

export interface MtlsForm {
  mode: MtlsMode;
  scope: MtlsScope;
}

export interface AccessRuleForm {
  /** Comma-separated lists, as people type them; empty means "any". */
  principals: string;
  namespaces: string;
  methods: string;
  paths: string;
}
export interface AccessControlForm {
  action: "ALLOW" | "DENY";
  rules: AccessRuleForm[];
}

export type WizardForm =
  | { wizard: "traffic-shifting"; form: TrafficShiftingForm }
  | { wizard: "request-routing"; form: RequestRoutingForm }
  | { wizard: "fault-injection"; form: FaultInjectionForm }
  | { wizard: "timeouts-retries"; form: TimeoutsRetriesForm }
  | { wizard: "circuit-breaker"; form: CircuitBreakerForm }
  | { wizard: "mirroring"; form: MirroringForm }
  | { wizard: "rate-limit"; form: RateLimitForm }
  | { wizard: "mtls"; form: MtlsForm }
  | { wizard: "access-control"; form: AccessControlForm };

export const WIZARD_TITLES: Record<WizardName, string> = {
  "traffic-shifting": "Traffic shifting",
  "request-routing": "Request routing",
  "fault-injection": "Fault injection",
  "timeouts-retries": "Timeouts and retries",
  "circuit-breaker": "Circuit breaker",
  mirroring: "Mirroring",
  "rate-limit": "Local rate limit",
  mtls: "mTLS",
  "access-control": "Access control",
};

export const WIZARD_HINTS: Record<WizardName, string> = {
  "traffic-shifting": "Split requests between versions by weight (canary).",
  "request-routing": "Send requests matching a header, URI or query parameter to a version (A/B, dark launch).",
  "fault-injection": "Delay or abort a share of requests to test resilience.",
  "timeouts-retries": "Bound how long callers wait and how often they retry.",
  "circuit-breaker": "Limit connections and pending requests; eject failing hosts.",
  mirroring: "Copy a share of live traffic to another version; its answers are discarded.",
  "rate-limit": "Token-bucket limit enforced by the service's own proxy (429 when empty).",
  mtls: "Require, allow or disable mutual TLS for the service or its namespace.",
  "access-control": "Allow or deny requests by source identity, namespace, method and path.",
};

/** The forms wizards open with: Kiali's defaults (kiali.md §3.1) where it has them. */
export function initialForm(wizard: WizardName, versions: readonly string[]): WizardForm {
  const first = versions[0] ?? "v1";
  const second = versions[1] ?? first;
  switch (wizard) {
    case "traffic-shifting":
      return {
        wizard,
        form: { weights: evenWeights(versions), mirror: { enabled: false, version: second, percentage: 100 } },
      };
    case "request-routing":
      return {
        wizard,
        form: {
          rules: [{ kind: "header", name: "end-user", type: "exact", value: "jason", version: second }],
          defaultVersion: first,
        },
      };
    case "fault-injection":
      return {
        wizard,
        form: {
          delay: { enabled: false, percent: 100, duration: { value: 5, unit: "s" } },
          abort: { enabled: true, percent: 100, status: 503 },
        },
      };
    case "timeouts-retries":
      return {
        wizard,
        form: {
          timeout: { enabled: true, duration: { value: 2, unit: "s" } },
          retries: {
            enabled: true,
            attempts: 3,
            perTry: { enabled: true, duration: { value: 2, unit: "s" } },
            retryOn: "gateway-error,connect-failure,refused-stream",
          },
        },
      };
    case "circuit-breaker":
      return {
        wizard,
        form: {
          pool: { enabled: true, maxConnections: 1, http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 },
          outlier: {
            enabled: false,
            consecutive5xxErrors: 1,
            interval: { value: 1, unit: "s" },
            baseEjectionTime: { value: 3, unit: "m" },
            maxEjectionPercent: 100,
          },
        },
      };
    case "mirroring":
      return { wizard, form: { version: first, mirrorVersion: second, percentage: 100 } };
    case "rate-limit":
      return { wizard, form: { maxTokens: 10, tokensPerFill: 10, fillInterval: { value: 1, unit: "s" } } };
    case "mtls":
      return { wizard, form: { mode: "STRICT", scope: "service" } };
    case "access-control":
      return {
        wizard,
        form: { action: "ALLOW", rules: [{ principals: "", namespaces: "", methods: "GET", paths: "" }] },
      };
  }
}
