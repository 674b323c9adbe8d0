// Public surface of @meshscope/mesh-config: the typed Istio object model, YAML parse/serialise and durations.
// Validation, wizards and diff (issue #7) are re-exported at the end.

// Issue #7: validation (schema + semantic), the diff of two object sets, and the wizard builders.
export * from "./diff.js";
export { parseIstioDurationMs } from "./duration.js";
export { hostMatches, shortServiceName, toFqdn } from "./hosts.js";
export type {
  AuthorizationPolicy,
  AuthorizationPolicySpec,
  AuthorizationRule,
  ConnectionPoolSettings,
  Destination,
  DestinationRule,
  DestinationRuleSpec,
  EnvoyFilter,
  EnvoyFilterSpec,
  HTTPFaultInjection,
  HTTPMatchRequest,
  HTTPRetry,
  HTTPRoute,
  HTTPRouteDestination,
  MeshObject,
  MeshObjectKind,
  MtlsMode,
  ObjectMeta,
  OtherIstioObject,
  OutlierDetection,
  PeerAuthentication,
  PeerAuthenticationSpec,
  Percent,
  StringMatch,
  Subset,
  TrafficPolicy,
  VirtualService,
  VirtualServiceSpec,
} from "./objects.js";
export type { MeshYamlParseResult, ParseIssue, ParseMeshYamlOptions } from "./parse-yaml.js";
export { parseMeshYaml, stringifyMeshYaml } from "./parse-yaml.js";
export * from "./validate/index.js";
export * from "./wizards/index.js";
