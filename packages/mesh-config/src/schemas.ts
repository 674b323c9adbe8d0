// Shape checks (zod) for the Istio objects of objects.ts: the JS types of the fields Meshscope reads, so that code
// downstream can trust `weight` to be a number and `hosts` an array of strings. Every schema is annotated with the
// interface it checks, so the compiler keeps the two in step.
//
// Objects are loose: fields Meshscope does not type (corsPolicy, portLevelSettings, ...) pass through untouched,
// as Istio's CRD schema allows them. Integer fields are int32/uint32 in the Istio protos (CRD `type: integer`).
// Ranges, durations and cross-object rules are semantic validation (issue #7), not shape.
import * as z from "zod";
import type {
  AuthorizationPolicy,
  AuthorizationRule,
  ConnectionPoolSettings,
  Destination,
  DestinationRule,
  EnvoyFilter,
  EnvoyFilterSpec,
  HTTPFaultInjection,
  HTTPMatchRequest,
  HTTPRetry,
  HTTPRoute,
  HTTPRouteDestination,
  MeshObject,
  ObjectMeta,
  OtherIstioObject,
  OutlierDetection,
  PeerAuthentication,
  Percent,
  StringMatch,
  Subset,
  TrafficPolicy,
  VirtualService,
} from "./objects.js";

const int = z.number().int();
const strings = z.array(z.string());
const stringMap = z.record(z.string(), z.string());
const opaqueMap = z.record(z.string(), z.unknown());

export const objectMeta: z.ZodType<ObjectMeta> = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  resourceVersion: z.string().optional(),
});

const stringMatch: z.ZodType<StringMatch> = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
const stringMatchMap = z.record(z.string(), stringMatch);
const percent: z.ZodType<Percent> = z.looseObject({ value: z.number() });

const httpMatchRequest: z.ZodType<HTTPMatchRequest> = z.looseObject({
  name: z.string().optional(),
  uri: stringMatch.optional(),
  method: stringMatch.optional(),
  authority: stringMatch.optional(),
  headers: stringMatchMap.optional(),
  queryParams: stringMatchMap.optional(),
  withoutHeaders: stringMatchMap.optional(),
  sourceLabels: stringMap.optional(),
  sourceNamespace: z.string().optional(),
  port: int.optional(),
  ignoreUriCase: z.boolean().optional(),
});

const destination: z.ZodType<Destination> = z.looseObject({
  host: z.string().min(1),
  subset: z.string().optional(),
  port: z.looseObject({ number: int.optional() }).optional(),
});

const httpRouteDestination: z.ZodType<HTTPRouteDestination> = z.looseObject({
  destination,
  weight: int.optional(),
});

const httpFault: z.ZodType<HTTPFaultInjection> = z.looseObject({
  delay: z
    .looseObject({ fixedDelay: z.string().optional(), percentage: percent.optional(), percent: int.optional() })
    .optional(),
  abort: z
    .looseObject({
      httpStatus: int.optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: percent.optional(),
    })
    .optional(),
});

const httpRetry: z.ZodType<HTTPRetry> = z.looseObject({
  attempts: int.optional(),
  perTryTimeout: z.string().optional(),
  retryOn: z.string().optional(),
  retryRemoteLocalities: z.boolean().optional(),
});

const httpRoute: z.ZodType<HTTPRoute> = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatchRequest).optional(),
  route: z.array(httpRouteDestination).optional(),
  redirect: opaqueMap.optional(),
  rewrite: z.looseObject({ uri: z.string().optional(), authority: z.string().optional() }).optional(),
  timeout: z.string().optional(),
  retries: httpRetry.optional(),
  fault: httpFault.optional(),
  mirror: destination.optional(),
  mirrorPercentage: percent.optional(),
  mirrors: z.array(z.looseObject({ destination, percentage: percent.optional() })).optional(),
  headers: opaqueMap.optional(),
});

const connectionPool: z.ZodType<ConnectionPoolSettings> = z.looseObject({
  tcp: z.looseObject({ maxConnections: int.optional(), connectTimeout: z.string().optional() }).optional(),
  http: z
    .looseObject({
      http1MaxPendingRequests: int.optional(),
      http2MaxRequests: int.optional(),
      maxRequestsPerConnection: int.optional(),
      maxRetries: int.optional(),
      idleTimeout: z.string().optional(),
      maxConcurrentStreams: int.optional(),
    })
    .optional(),
});

const outlierDetection: z.ZodType<OutlierDetection> = z.looseObject({
  consecutive5xxErrors: int.optional(),
  consecutiveGatewayErrors: int.optional(),
  interval: z.string().optional(),
  baseEjectionTime: z.string().optional(),
  maxEjectionPercent: int.optional(),
  minHealthPercent: int.optional(),
});

const trafficPolicy: z.ZodType<TrafficPolicy> = z.looseObject({
  loadBalancer: z.looseObject({ simple: z.string().optional() }).optional(),
  connectionPool: connectionPool.optional(),
  outlierDetection: outlierDetection.optional(),
  tls: z.looseObject({ mode: z.enum(["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"]).optional() }).optional(),
});

const subset: z.ZodType<Subset> = z.looseObject({
  name: z.string().min(1),
  labels: stringMap.optional(),
  trafficPolicy: trafficPolicy.optional(),
});

const selector = z.looseObject({ matchLabels: stringMap.optional() });
const mtlsMode = z.enum(["UNSET", "DISABLE", "PERMISSIVE", "STRICT"]);

const authorizationRule: z.ZodType<AuthorizationRule> = z.looseObject({
  from: z
    .array(
      z.looseObject({
        source: z.looseObject({
          principals: strings.optional(),
          notPrincipals: strings.optional(),
          namespaces: strings.optional(),
          notNamespaces: strings.optional(),
          ipBlocks: strings.optional(),
        }),
      }),
    )
    .optional(),
  to: z
    .array(
      z.looseObject({
        operation: z.looseObject({
          methods: strings.optional(),
          notMethods: strings.optional(),
          paths: strings.optional(),
          notPaths: strings.optional(),
          ports: strings.optional(),
        }),
      }),
    )
    .optional(),
  when: z
    .array(z.looseObject({ key: z.string(), values: strings.optional(), notValues: strings.optional() }))
    .optional(),
});

const envoyFilterSpec: z.ZodType<EnvoyFilterSpec> = z.looseObject({
  workloadSelector: z.looseObject({ labels: stringMap.optional() }).optional(),
  configPatches: z
    .array(
      z.looseObject({
        applyTo: z.string().optional(),
        match: z.looseObject({ context: z.string().optional(), listener: opaqueMap.optional() }).optional(),
        patch: z.looseObject({ operation: z.string().optional(), value: z.unknown() }).optional(),
      }),
    )
    .optional(),
});

// Versions served by Istio 1.30's CRDs (reference istio.md §4.0); all networking versions share one schema.
const networkingVersions = z.enum([
  "networking.istio.io/v1",
  "networking.istio.io/v1beta1",
  "networking.istio.io/v1alpha3",
]);
const securityVersions = z.enum(["security.istio.io/v1", "security.istio.io/v1beta1"]);

const virtualService: z.ZodType<VirtualService> = z.looseObject({
  apiVersion: networkingVersions,
  kind: z.literal("VirtualService"),
  metadata: objectMeta,
  spec: z.looseObject({
    hosts: strings.optional(),
    gateways: strings.optional(),
    http: z.array(httpRoute).optional(),
    tcp: z.array(z.unknown()).optional(),
    tls: z.array(z.unknown()).optional(),
    exportTo: strings.optional(),
  }),
});

const destinationRule: z.ZodType<DestinationRule> = z.looseObject({
  apiVersion: networkingVersions,
  kind: z.literal("DestinationRule"),
  metadata: objectMeta,
  spec: z.looseObject({
    host: z.string().min(1),
    trafficPolicy: trafficPolicy.optional(),
    subsets: z.array(subset).optional(),
    exportTo: strings.optional(),
  }),
});

const peerAuthentication: z.ZodType<PeerAuthentication> = z.looseObject({
  apiVersion: securityVersions,
  kind: z.literal("PeerAuthentication"),
  metadata: objectMeta,
  spec: z.looseObject({
    selector: selector.optional(),
    mtls: z.looseObject({ mode: mtlsMode.optional() }).optional(),
    portLevelMtls: z.record(z.string(), z.looseObject({ mode: mtlsMode.optional() })).optional(),
  }),
});

const authorizationPolicy: z.ZodType<AuthorizationPolicy> = z.looseObject({
  apiVersion: securityVersions,
  kind: z.literal("AuthorizationPolicy"),
  metadata: objectMeta,
  spec: z.looseObject({
    selector: selector.optional(),
    action: z.enum(["ALLOW", "DENY", "AUDIT", "CUSTOM"]).optional(),
    rules: z.array(authorizationRule).optional(),
  }),
});

const envoyFilter: z.ZodType<EnvoyFilter> = z.looseObject({
  apiVersion: z.literal("networking.istio.io/v1alpha3"),
  kind: z.literal("EnvoyFilter"),
  metadata: objectMeta,
  spec: envoyFilterSpec,
});

const otherIstioObject: z.ZodType<OtherIstioObject> = z.looseObject({
  apiVersion: z.string().regex(/^networking\.istio\.io\//, "expected a networking.istio.io API version"),
  kind: z.enum(["Gateway", "ServiceEntry", "Sidecar"]),
  metadata: objectMeta,
  spec: opaqueMap,
});

/** The schema for each kind Meshscope reads; any other kind is not a mesh object. */
export const MESH_OBJECT_SCHEMAS: Readonly<Record<MeshObject["kind"], z.ZodType<MeshObject>>> = {
  VirtualService: virtualService,
  DestinationRule: destinationRule,
  PeerAuthentication: peerAuthentication,
  AuthorizationPolicy: authorizationPolicy,
  EnvoyFilter: envoyFilter,
  Gateway: otherIstioObject,
  ServiceEntry: otherIstioObject,
  Sidecar: otherIstioObject,
};
