// The Istio objects Meshscope reads and writes, in Istio's own field names and shapes (istio/api
// networking/v1 and security/v1 protos, JSON form). Only the fields Meshscope understands are typed; a parsed
// object keeps every other field as it was found (`spec` is the typed view of the same data).
//
// Durations stay strings as Istio writes them (`"5s"`, `"250ms"`); `parseIstioDurationMs` converts them.

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
}

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface Percent {
  /** 0–100, may be fractional (Istio `Percent.value`, a double). */
  value: number;
}

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  /** Header names are lower-case in Istio. */
  headers?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  port?: number;
  ignoreUriCase?: boolean;
}

export interface PortSelector {
  number?: number;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

export interface HTTPRouteDestination {
  destination: Destination;
  /** Relative weight (Istio ≥1.15 normalises weights that do not sum to 100). Absent = 100 when alone. */
  weight?: number;
}

export interface HTTPFaultInjection {
  delay?: { fixedDelay?: string; percentage?: Percent; percent?: number };
  abort?: { httpStatus?: number; grpcStatus?: string; http2Error?: string; percentage?: Percent };
}

export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: string;
  /** Comma-separated Envoy retry policies (`5xx,gateway-error,connect-failure,...`) or HTTP codes. */
  retryOn?: string;
  retryRemoteLocalities?: boolean;
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: Record<string, unknown>;
  rewrite?: { uri?: string; authority?: string };
  timeout?: string;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrorPercentage?: Percent;
  mirrors?: { destination: Destination; percentage?: Percent }[];
  headers?: Record<string, unknown>;
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tcp?: unknown[];
  tls?: unknown[];
  exportTo?: string[];
}

export interface ConnectionPoolSettings {
  tcp?: { maxConnections?: number; connectTimeout?: string };
  http?: {
    http1MaxPendingRequests?: number;
    http2MaxRequests?: number;
    maxRequestsPerConnection?: number;
    maxRetries?: number;
    idleTimeout?: string;
    maxConcurrentStreams?: number;
  };
}

export interface OutlierDetection {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
  minHealthPercent?: number;
}

export interface TrafficPolicy {
  loadBalancer?: { simple?: string } & Record<string, unknown>;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: { mode?: "DISABLE" | "SIMPLE" | "MUTUAL" | "ISTIO_MUTUAL"; [key: string]: unknown };
}

export interface Subset {
  name: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}

export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
}

export type MtlsMode = "UNSET" | "DISABLE" | "PERMISSIVE" | "STRICT";

export interface PeerAuthenticationSpec {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: MtlsMode };
  portLevelMtls?: Record<string, { mode?: MtlsMode }>;
}

export interface AuthorizationRule {
  from?: {
    source: {
      principals?: string[];
      notPrincipals?: string[];
      namespaces?: string[];
      notNamespaces?: string[];
      ipBlocks?: string[];
    };
  }[];
  to?: {
    operation: { methods?: string[]; notMethods?: string[]; paths?: string[]; notPaths?: string[]; ports?: string[] };
  }[];
  when?: { key: string; values?: string[]; notValues?: string[] }[];
}

export interface AuthorizationPolicySpec {
  selector?: { matchLabels?: Record<string, string> };
  action?: "ALLOW" | "DENY" | "AUDIT" | "CUSTOM";
  rules?: AuthorizationRule[];
}

/** EnvoyFilter in the shape Istio documents for the local rate limit (reference istio.md §4.3); other patches stay opaque. */
export interface EnvoyFilterSpec {
  workloadSelector?: { labels?: Record<string, string> };
  configPatches?: {
    applyTo?: string;
    match?: { context?: string; listener?: Record<string, unknown>; [key: string]: unknown };
    patch?: { operation?: string; value?: unknown };
  }[];
}

interface IstioObjectBase<K extends string, A extends string, S> {
  apiVersion: A;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
}

export type VirtualService = IstioObjectBase<
  "VirtualService",
  "networking.istio.io/v1" | "networking.istio.io/v1beta1" | "networking.istio.io/v1alpha3",
  VirtualServiceSpec
>;
export type DestinationRule = IstioObjectBase<
  "DestinationRule",
  "networking.istio.io/v1" | "networking.istio.io/v1beta1" | "networking.istio.io/v1alpha3",
  DestinationRuleSpec
>;
export type PeerAuthentication = IstioObjectBase<
  "PeerAuthentication",
  "security.istio.io/v1" | "security.istio.io/v1beta1",
  PeerAuthenticationSpec
>;
export type AuthorizationPolicy = IstioObjectBase<
  "AuthorizationPolicy",
  "security.istio.io/v1" | "security.istio.io/v1beta1",
  AuthorizationPolicySpec
>;
export type EnvoyFilter = IstioObjectBase<"EnvoyFilter", "networking.istio.io/v1alpha3", EnvoyFilterSpec>;
/** Objects Meshscope reads but does not edit (Gateway, ServiceEntry, ...): kept so references can be checked. */
export interface OtherIstioObject {
  apiVersion: string;
  kind: "Gateway" | "ServiceEntry" | "Sidecar";
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

export type MeshObject =
  | VirtualService
  | DestinationRule
  | PeerAuthentication
  | AuthorizationPolicy
  | EnvoyFilter
  | OtherIstioObject;

export type MeshObjectKind = MeshObject["kind"];
