// Public surface of @meshscope/mesh-config: the typed Istio object model, YAML parse/serialise and durations.
// Validation, wizards and diff come with issue #7.

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
