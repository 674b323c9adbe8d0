/**
 * The request bodies of `POST /api/mesh/wizards/{wizard}` (DESIGN §5), in Istio's own field shapes. The server
 * validates them with its zod schemas; these types keep the forms honest about what they send.
 */

export interface WizardTarget {
  namespace: string;
  service: string;
}

export type StringMatch = { exact: string } | { prefix: string } | { regex: string };

export interface TrafficShiftingBody extends WizardTarget {
  weights: { version: string; weight: number }[];
  mirror?: { version: string; percentage: { value: number } };
}

export interface RequestRoutingBody extends WizardTarget {
  rules: {
    match: { headers?: Record<string, StringMatch>; uri?: StringMatch; queryParams?: Record<string, StringMatch> };
    version: string;
  }[];
  defaultVersion: string;
}

export interface FaultInjectionBody extends WizardTarget {
  delay?: { percentage: { value: number }; fixedDelay: string };
  abort?: { percentage: { value: number }; httpStatus: number };
}

export interface TimeoutsRetriesBody extends WizardTarget {
  timeout?: string;
  retries?: { attempts: number; perTryTimeout?: string; retryOn?: string };
}

export interface CircuitBreakerBody extends WizardTarget {
  connectionPool?: {
    tcp?: { maxConnections: number };
    http?: { http1MaxPendingRequests: number; maxRequestsPerConnection: number };
  };
  outlierDetection?: {
    consecutive5xxErrors: number;
    interval: string;
    baseEjectionTime: string;
    maxEjectionPercent: number;
  };
}

export interface MirroringBody extends WizardTarget {
  version: string;
  mirror: { version: string };
  percentage: { value: number };
}

export interface RateLimitBody extends WizardTarget {
  maxTokens: number;
  tokensPerFill: number;
  fillInterval: string;
}

export const MTLS_MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];
export const MTLS_SCOPES = ["service", "namespace"] as const;
export type MtlsScope = (typeof MTLS_SCOPES)[number];

export interface MtlsBody extends WizardTarget {
  mode: MtlsMode;
  scope?: MtlsScope;
}

export interface AccessControlBody extends WizardTarget {
  action: "ALLOW" | "DENY";
  rules: {
    from?: { principals?: string[]; namespaces?: string[] };
    to?: { methods?: string[]; paths?: string[] };
  }[];
}

export type WizardBody =
  | TrafficShiftingBody
  | RequestRoutingBody
  | FaultInjectionBody
  | TimeoutsRetriesBody
  | CircuitBreakerBody
  | MirroringBody
  | RateLimitBody
  | MtlsBody
  | AccessControlBody;
