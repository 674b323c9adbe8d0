// GENERATED from Istio's manifests/charts/base/files/crd-all.gen.yaml (../shared/fixtures/istio)
// (Apache-2.0, Istio Authors): the structural schema of `spec` per kind, descriptions and CEL rules dropped.
// Regenerate: UPDATE_ISTIO_CRD_SCHEMAS=1 npx vitest run --project mesh-config istio-crd
// Do not edit by hand; istio-crd.test.ts fails when this file and the CRD file disagree.
import type { IstioKindSchema, SchemaKind } from "./istio-kinds.js";

export const ISTIO_CRD_SCHEMAS: Readonly<Record<SchemaKind, IstioKindSchema>> = {
  VirtualService: {
    group: "networking.istio.io",
    versions: ["v1", "v1alpha3", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      properties: {
        exportTo: { type: "array", items: { type: "string" } },
        gateways: { type: "array", items: { type: "string" } },
        hosts: { type: "array", items: { type: "string" } },
        http: {
          type: "array",
          items: {
            type: "object",
            properties: {
              corsPolicy: {
                type: "object",
                properties: {
                  allowCredentials: { type: "boolean", nullable: true },
                  allowHeaders: { type: "array", items: { type: "string" } },
                  allowMethods: { type: "array", items: { type: "string" } },
                  allowOrigin: { type: "array", items: { type: "string" } },
                  allowOrigins: {
                    type: "array",
                    items: {
                      type: "object",
                      properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
                      oneOf: [
                        {
                          not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] },
                        },
                        { required: ["exact"] },
                        { required: ["prefix"] },
                        { required: ["regex"] },
                      ],
                    },
                  },
                  exposeHeaders: { type: "array", items: { type: "string" } },
                  maxAge: { type: "string" },
                  unmatchedPreflights: { type: "string", enum: ["UNSPECIFIED", "FORWARD", "IGNORE"] },
                },
              },
              delegate: { type: "object", properties: { name: { type: "string" }, namespace: { type: "string" } } },
              directResponse: {
                type: "object",
                required: ["status"],
                properties: {
                  body: {
                    type: "object",
                    properties: { bytes: { type: "string", format: "byte" }, string: { type: "string" } },
                    oneOf: [
                      { not: { anyOf: [{ required: ["string"] }, { required: ["bytes"] }] } },
                      { required: ["string"] },
                      { required: ["bytes"] },
                    ],
                  },
                  status: { type: "integer", minimum: 0, maximum: 4294967295 },
                },
              },
              fault: {
                type: "object",
                properties: {
                  abort: {
                    type: "object",
                    properties: {
                      grpcStatus: { type: "string" },
                      http2Error: { type: "string" },
                      httpStatus: { type: "integer", format: "int32" },
                      percentage: { type: "object", properties: { value: { type: "number", format: "double" } } },
                    },
                    oneOf: [
                      {
                        not: {
                          anyOf: [
                            { required: ["httpStatus"] },
                            { required: ["grpcStatus"] },
                            { required: ["http2Error"] },
                          ],
                        },
                      },
                      { required: ["httpStatus"] },
                      { required: ["grpcStatus"] },
                      { required: ["http2Error"] },
                    ],
                  },
                  delay: {
                    type: "object",
                    properties: {
                      exponentialDelay: { type: "string" },
                      fixedDelay: { type: "string" },
                      percent: { type: "integer", format: "int32" },
                      percentage: { type: "object", properties: { value: { type: "number", format: "double" } } },
                    },
                    oneOf: [
                      { not: { anyOf: [{ required: ["fixedDelay"] }, { required: ["exponentialDelay"] }] } },
                      { required: ["fixedDelay"] },
                      { required: ["exponentialDelay"] },
                    ],
                  },
                },
              },
              headers: {
                type: "object",
                properties: {
                  request: {
                    type: "object",
                    properties: {
                      add: { type: "object", additionalProperties: { type: "string" } },
                      remove: { type: "array", items: { type: "string" } },
                      set: { type: "object", additionalProperties: { type: "string" } },
                    },
                  },
                  response: {
                    type: "object",
                    properties: {
                      add: { type: "object", additionalProperties: { type: "string" } },
                      remove: { type: "array", items: { type: "string" } },
                      set: { type: "object", additionalProperties: { type: "string" } },
                    },
                  },
                },
              },
              match: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    authority: {
                      type: "object",
                      properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
                      oneOf: [
                        {
                          not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] },
                        },
                        { required: ["exact"] },
                        { required: ["prefix"] },
                        { required: ["regex"] },
                      ],
                    },
                    gateways: { type: "array", items: { type: "string" } },
                    headers: {
                      type: "object",
                      additionalProperties: {
                        type: "object",
                        properties: {
                          exact: { type: "string" },
                          prefix: { type: "string" },
                          regex: { type: "string" },
                        },
                        oneOf: [
                          {
                            not: {
                              anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }],
                            },
                          },
                          { required: ["exact"] },
                          { required: ["prefix"] },
                          { required: ["regex"] },
                        ],
                      },
                    },
                    ignoreUriCase: { type: "boolean" },
                    method: {
                      type: "object",
                      properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
                      oneOf: [
                        {
                          not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] },
                        },
                        { required: ["exact"] },
                        { required: ["prefix"] },
                        { required: ["regex"] },
                      ],
                    },
                    name: { type: "string" },
                    port: { type: "integer", minimum: 0, maximum: 4294967295 },
                    queryParams: {
                      type: "object",
                      additionalProperties: {
                        type: "object",
                        properties: {
                          exact: { type: "string" },
                          prefix: { type: "string" },
                          regex: { type: "string" },
                        },
                        oneOf: [
                          {
                            not: {
                              anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }],
                            },
                          },
                          { required: ["exact"] },
                          { required: ["prefix"] },
                          { required: ["regex"] },
                        ],
                      },
                    },
                    scheme: {
                      type: "object",
                      properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
                      oneOf: [
                        {
                          not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] },
                        },
                        { required: ["exact"] },
                        { required: ["prefix"] },
                        { required: ["regex"] },
                      ],
                    },
                    sourceLabels: { type: "object", additionalProperties: { type: "string" } },
                    sourceNamespace: { type: "string" },
                    statPrefix: { type: "string" },
                    uri: {
                      type: "object",
                      properties: { exact: { type: "string" }, prefix: { type: "string" }, regex: { type: "string" } },
                      oneOf: [
                        {
                          not: { anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }] },
                        },
                        { required: ["exact"] },
                        { required: ["prefix"] },
                        { required: ["regex"] },
                      ],
                    },
                    withoutHeaders: {
                      type: "object",
                      additionalProperties: {
                        type: "object",
                        properties: {
                          exact: { type: "string" },
                          prefix: { type: "string" },
                          regex: { type: "string" },
                        },
                        oneOf: [
                          {
                            not: {
                              anyOf: [{ required: ["exact"] }, { required: ["prefix"] }, { required: ["regex"] }],
                            },
                          },
                          { required: ["exact"] },
                          { required: ["prefix"] },
                          { required: ["regex"] },
                        ],
                      },
                    },
                  },
                },
              },
              mirror: {
                type: "object",
                required: ["host"],
                properties: {
                  host: { type: "string" },
                  port: {
                    type: "object",
                    properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                  },
                  subset: { type: "string" },
                },
              },
              mirror_percent: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
              mirrorPercent: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
              mirrorPercentage: { type: "object", properties: { value: { type: "number", format: "double" } } },
              mirrors: {
                type: "array",
                items: {
                  type: "object",
                  required: ["destination"],
                  properties: {
                    destination: {
                      type: "object",
                      required: ["host"],
                      properties: {
                        host: { type: "string" },
                        port: {
                          type: "object",
                          properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                        },
                        subset: { type: "string" },
                      },
                    },
                    percentage: { type: "object", properties: { value: { type: "number", format: "double" } } },
                  },
                },
              },
              name: { type: "string" },
              redirect: {
                type: "object",
                properties: {
                  authority: { type: "string" },
                  derivePort: { type: "string", enum: ["FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT"] },
                  port: { type: "integer", minimum: 0, maximum: 4294967295 },
                  redirectCode: { type: "integer", minimum: 0, maximum: 4294967295 },
                  scheme: { type: "string" },
                  uri: { type: "string" },
                },
                oneOf: [
                  { not: { anyOf: [{ required: ["port"] }, { required: ["derivePort"] }] } },
                  { required: ["port"] },
                  { required: ["derivePort"] },
                ],
              },
              retries: {
                type: "object",
                properties: {
                  attempts: { type: "integer", format: "int32" },
                  backoff: { type: "string" },
                  perTryTimeout: { type: "string" },
                  retryIgnorePreviousHosts: { type: "boolean", nullable: true },
                  retryOn: { type: "string" },
                  retryRemoteLocalities: { type: "boolean", nullable: true },
                },
              },
              rewrite: {
                type: "object",
                properties: {
                  authority: { type: "string" },
                  uri: { type: "string" },
                  uriRegexRewrite: {
                    type: "object",
                    properties: { match: { type: "string" }, rewrite: { type: "string" } },
                  },
                },
              },
              route: {
                type: "array",
                items: {
                  type: "object",
                  required: ["destination"],
                  properties: {
                    destination: {
                      type: "object",
                      required: ["host"],
                      properties: {
                        host: { type: "string" },
                        port: {
                          type: "object",
                          properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                        },
                        subset: { type: "string" },
                      },
                    },
                    headers: {
                      type: "object",
                      properties: {
                        request: {
                          type: "object",
                          properties: {
                            add: { type: "object", additionalProperties: { type: "string" } },
                            remove: { type: "array", items: { type: "string" } },
                            set: { type: "object", additionalProperties: { type: "string" } },
                          },
                        },
                        response: {
                          type: "object",
                          properties: {
                            add: { type: "object", additionalProperties: { type: "string" } },
                            remove: { type: "array", items: { type: "string" } },
                            set: { type: "object", additionalProperties: { type: "string" } },
                          },
                        },
                      },
                    },
                    weight: { type: "integer", format: "int32" },
                  },
                },
              },
              timeout: { type: "string" },
            },
          },
        },
        tcp: {
          type: "array",
          items: {
            type: "object",
            properties: {
              match: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    destinationSubnets: { type: "array", items: { type: "string" } },
                    gateways: { type: "array", items: { type: "string" } },
                    port: { type: "integer", minimum: 0, maximum: 4294967295 },
                    sourceLabels: { type: "object", additionalProperties: { type: "string" } },
                    sourceNamespace: { type: "string" },
                    sourceSubnet: { type: "string" },
                  },
                },
              },
              route: {
                type: "array",
                items: {
                  type: "object",
                  required: ["destination"],
                  properties: {
                    destination: {
                      type: "object",
                      required: ["host"],
                      properties: {
                        host: { type: "string" },
                        port: {
                          type: "object",
                          properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                        },
                        subset: { type: "string" },
                      },
                    },
                    weight: { type: "integer", format: "int32" },
                  },
                },
              },
            },
          },
        },
        tls: {
          type: "array",
          items: {
            type: "object",
            required: ["match"],
            properties: {
              match: {
                type: "array",
                items: {
                  type: "object",
                  required: ["sniHosts"],
                  properties: {
                    destinationSubnets: { type: "array", items: { type: "string" } },
                    gateways: { type: "array", items: { type: "string" } },
                    port: { type: "integer", minimum: 0, maximum: 4294967295 },
                    sniHosts: { type: "array", items: { type: "string" } },
                    sourceLabels: { type: "object", additionalProperties: { type: "string" } },
                    sourceNamespace: { type: "string" },
                  },
                },
              },
              route: {
                type: "array",
                items: {
                  type: "object",
                  required: ["destination"],
                  properties: {
                    destination: {
                      type: "object",
                      required: ["host"],
                      properties: {
                        host: { type: "string" },
                        port: {
                          type: "object",
                          properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                        },
                        subset: { type: "string" },
                      },
                    },
                    weight: { type: "integer", format: "int32" },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  DestinationRule: {
    group: "networking.istio.io",
    versions: ["v1", "v1alpha3", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      required: ["host"],
      properties: {
        exportTo: { type: "array", items: { type: "string" } },
        host: { type: "string" },
        subsets: {
          type: "array",
          items: {
            type: "object",
            required: ["name"],
            properties: {
              labels: { type: "object", additionalProperties: { type: "string" } },
              name: { type: "string" },
              trafficPolicy: {
                type: "object",
                properties: {
                  connectionPool: {
                    type: "object",
                    properties: {
                      http: {
                        type: "object",
                        properties: {
                          h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                          http1MaxPendingRequests: { type: "integer", format: "int32" },
                          http2MaxRequests: { type: "integer", format: "int32" },
                          idleTimeout: { type: "string" },
                          maxConcurrentStreams: { type: "integer", format: "int32" },
                          maxRequestsPerConnection: { type: "integer", format: "int32" },
                          maxRetries: { type: "integer", format: "int32" },
                          useClientProtocol: { type: "boolean" },
                        },
                      },
                      tcp: {
                        type: "object",
                        properties: {
                          connectTimeout: { type: "string" },
                          idleTimeout: { type: "string" },
                          maxConnectionDuration: { type: "string" },
                          maxConnections: { type: "integer", format: "int32" },
                          tcpKeepalive: {
                            type: "object",
                            properties: {
                              interval: { type: "string" },
                              probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                              time: { type: "string" },
                            },
                          },
                        },
                      },
                    },
                  },
                  loadBalancer: {
                    type: "object",
                    properties: {
                      consistentHash: {
                        type: "object",
                        properties: {
                          httpCookie: {
                            type: "object",
                            required: ["name"],
                            properties: {
                              attributes: {
                                type: "array",
                                items: {
                                  type: "object",
                                  required: ["name"],
                                  properties: { name: { type: "string" }, value: { type: "string" } },
                                },
                              },
                              name: { type: "string" },
                              path: { type: "string" },
                              ttl: { type: "string" },
                            },
                          },
                          httpHeaderName: { type: "string" },
                          httpQueryParameterName: { type: "string" },
                          maglev: { type: "object", properties: { tableSize: { type: "integer", minimum: 0 } } },
                          minimumRingSize: { type: "integer", minimum: 0 },
                          ringHash: {
                            type: "object",
                            properties: { minimumRingSize: { type: "integer", minimum: 0 } },
                          },
                          useSourceIp: { type: "boolean" },
                        },
                        allOf: [
                          {
                            oneOf: [
                              {
                                not: {
                                  anyOf: [
                                    { required: ["httpHeaderName"] },
                                    { required: ["httpCookie"] },
                                    { required: ["useSourceIp"] },
                                    { required: ["httpQueryParameterName"] },
                                  ],
                                },
                              },
                              { required: ["httpHeaderName"] },
                              { required: ["httpCookie"] },
                              { required: ["useSourceIp"] },
                              { required: ["httpQueryParameterName"] },
                            ],
                          },
                          {
                            oneOf: [
                              { not: { anyOf: [{ required: ["ringHash"] }, { required: ["maglev"] }] } },
                              { required: ["ringHash"] },
                              { required: ["maglev"] },
                            ],
                          },
                        ],
                      },
                      localityLbSetting: {
                        type: "object",
                        properties: {
                          distribute: {
                            type: "array",
                            items: {
                              type: "object",
                              properties: {
                                from: { type: "string" },
                                to: {
                                  type: "object",
                                  additionalProperties: { type: "integer", minimum: 0, maximum: 4294967295 },
                                },
                              },
                            },
                          },
                          enabled: { type: "boolean", nullable: true },
                          failover: {
                            type: "array",
                            items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } },
                          },
                          failoverPriority: { type: "array", items: { type: "string" } },
                        },
                      },
                      simple: {
                        type: "string",
                        enum: ["UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"],
                      },
                      warmup: {
                        type: "object",
                        required: ["duration"],
                        properties: {
                          aggression: { type: "number", format: "double", minimum: 0, nullable: true },
                          duration: { type: "string" },
                          minimumPercent: {
                            type: "number",
                            format: "double",
                            minimum: 0,
                            maximum: 100,
                            nullable: true,
                          },
                        },
                      },
                      warmupDurationSecs: { type: "string" },
                    },
                    oneOf: [
                      { not: { anyOf: [{ required: ["simple"] }, { required: ["consistentHash"] }] } },
                      { required: ["simple"] },
                      { required: ["consistentHash"] },
                    ],
                  },
                  outlierDetection: {
                    type: "object",
                    properties: {
                      baseEjectionTime: { type: "string" },
                      consecutive5xxErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                      consecutiveErrors: { type: "integer", format: "int32" },
                      consecutiveGatewayErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                      consecutiveLocalOriginFailures: {
                        type: "integer",
                        minimum: 0,
                        maximum: 4294967295,
                        nullable: true,
                      },
                      interval: { type: "string" },
                      maxEjectionPercent: { type: "integer", format: "int32" },
                      minHealthPercent: { type: "integer", format: "int32" },
                      splitExternalLocalOriginErrors: { type: "boolean" },
                    },
                  },
                  portLevelSettings: {
                    type: "array",
                    maxItems: 4096,
                    items: {
                      type: "object",
                      properties: {
                        connectionPool: {
                          type: "object",
                          properties: {
                            http: {
                              type: "object",
                              properties: {
                                h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                                http1MaxPendingRequests: { type: "integer", format: "int32" },
                                http2MaxRequests: { type: "integer", format: "int32" },
                                idleTimeout: { type: "string" },
                                maxConcurrentStreams: { type: "integer", format: "int32" },
                                maxRequestsPerConnection: { type: "integer", format: "int32" },
                                maxRetries: { type: "integer", format: "int32" },
                                useClientProtocol: { type: "boolean" },
                              },
                            },
                            tcp: {
                              type: "object",
                              properties: {
                                connectTimeout: { type: "string" },
                                idleTimeout: { type: "string" },
                                maxConnectionDuration: { type: "string" },
                                maxConnections: { type: "integer", format: "int32" },
                                tcpKeepalive: {
                                  type: "object",
                                  properties: {
                                    interval: { type: "string" },
                                    probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                                    time: { type: "string" },
                                  },
                                },
                              },
                            },
                          },
                        },
                        loadBalancer: {
                          type: "object",
                          properties: {
                            consistentHash: {
                              type: "object",
                              properties: {
                                httpCookie: {
                                  type: "object",
                                  required: ["name"],
                                  properties: {
                                    attributes: {
                                      type: "array",
                                      items: {
                                        type: "object",
                                        required: ["name"],
                                        properties: { name: { type: "string" }, value: { type: "string" } },
                                      },
                                    },
                                    name: { type: "string" },
                                    path: { type: "string" },
                                    ttl: { type: "string" },
                                  },
                                },
                                httpHeaderName: { type: "string" },
                                httpQueryParameterName: { type: "string" },
                                maglev: { type: "object", properties: { tableSize: { type: "integer", minimum: 0 } } },
                                minimumRingSize: { type: "integer", minimum: 0 },
                                ringHash: {
                                  type: "object",
                                  properties: { minimumRingSize: { type: "integer", minimum: 0 } },
                                },
                                useSourceIp: { type: "boolean" },
                              },
                              allOf: [
                                {
                                  oneOf: [
                                    {
                                      not: {
                                        anyOf: [
                                          { required: ["httpHeaderName"] },
                                          { required: ["httpCookie"] },
                                          { required: ["useSourceIp"] },
                                          { required: ["httpQueryParameterName"] },
                                        ],
                                      },
                                    },
                                    { required: ["httpHeaderName"] },
                                    { required: ["httpCookie"] },
                                    { required: ["useSourceIp"] },
                                    { required: ["httpQueryParameterName"] },
                                  ],
                                },
                                {
                                  oneOf: [
                                    { not: { anyOf: [{ required: ["ringHash"] }, { required: ["maglev"] }] } },
                                    { required: ["ringHash"] },
                                    { required: ["maglev"] },
                                  ],
                                },
                              ],
                            },
                            localityLbSetting: {
                              type: "object",
                              properties: {
                                distribute: {
                                  type: "array",
                                  items: {
                                    type: "object",
                                    properties: {
                                      from: { type: "string" },
                                      to: {
                                        type: "object",
                                        additionalProperties: { type: "integer", minimum: 0, maximum: 4294967295 },
                                      },
                                    },
                                  },
                                },
                                enabled: { type: "boolean", nullable: true },
                                failover: {
                                  type: "array",
                                  items: {
                                    type: "object",
                                    properties: { from: { type: "string" }, to: { type: "string" } },
                                  },
                                },
                                failoverPriority: { type: "array", items: { type: "string" } },
                              },
                            },
                            simple: {
                              type: "string",
                              enum: [
                                "UNSPECIFIED",
                                "LEAST_CONN",
                                "RANDOM",
                                "PASSTHROUGH",
                                "ROUND_ROBIN",
                                "LEAST_REQUEST",
                              ],
                            },
                            warmup: {
                              type: "object",
                              required: ["duration"],
                              properties: {
                                aggression: { type: "number", format: "double", minimum: 0, nullable: true },
                                duration: { type: "string" },
                                minimumPercent: {
                                  type: "number",
                                  format: "double",
                                  minimum: 0,
                                  maximum: 100,
                                  nullable: true,
                                },
                              },
                            },
                            warmupDurationSecs: { type: "string" },
                          },
                          oneOf: [
                            { not: { anyOf: [{ required: ["simple"] }, { required: ["consistentHash"] }] } },
                            { required: ["simple"] },
                            { required: ["consistentHash"] },
                          ],
                        },
                        outlierDetection: {
                          type: "object",
                          properties: {
                            baseEjectionTime: { type: "string" },
                            consecutive5xxErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                            consecutiveErrors: { type: "integer", format: "int32" },
                            consecutiveGatewayErrors: {
                              type: "integer",
                              minimum: 0,
                              maximum: 4294967295,
                              nullable: true,
                            },
                            consecutiveLocalOriginFailures: {
                              type: "integer",
                              minimum: 0,
                              maximum: 4294967295,
                              nullable: true,
                            },
                            interval: { type: "string" },
                            maxEjectionPercent: { type: "integer", format: "int32" },
                            minHealthPercent: { type: "integer", format: "int32" },
                            splitExternalLocalOriginErrors: { type: "boolean" },
                          },
                        },
                        port: {
                          type: "object",
                          properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                        },
                        tls: {
                          type: "object",
                          properties: {
                            caCertificates: { type: "string" },
                            caCrl: { type: "string" },
                            clientCertificate: { type: "string" },
                            credentialName: { type: "string" },
                            insecureSkipVerify: { type: "boolean", nullable: true },
                            mode: { type: "string", enum: ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] },
                            privateKey: { type: "string" },
                            sni: { type: "string" },
                            subjectAltNames: { type: "array", items: { type: "string" } },
                          },
                        },
                      },
                    },
                  },
                  proxyProtocol: { type: "object", properties: { version: { type: "string", enum: ["V1", "V2"] } } },
                  retryBudget: {
                    type: "object",
                    properties: {
                      minRetryConcurrency: { type: "integer", minimum: 0, maximum: 4294967295 },
                      percent: { type: "number", format: "double", minimum: 0, maximum: 100, nullable: true },
                    },
                  },
                  tls: {
                    type: "object",
                    properties: {
                      caCertificates: { type: "string" },
                      caCrl: { type: "string" },
                      clientCertificate: { type: "string" },
                      credentialName: { type: "string" },
                      insecureSkipVerify: { type: "boolean", nullable: true },
                      mode: { type: "string", enum: ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] },
                      privateKey: { type: "string" },
                      sni: { type: "string" },
                      subjectAltNames: { type: "array", items: { type: "string" } },
                    },
                  },
                  tunnel: {
                    type: "object",
                    required: ["targetHost", "targetPort"],
                    properties: {
                      protocol: { type: "string" },
                      targetHost: { type: "string" },
                      targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
                    },
                  },
                },
              },
            },
          },
        },
        trafficPolicy: {
          type: "object",
          properties: {
            connectionPool: {
              type: "object",
              properties: {
                http: {
                  type: "object",
                  properties: {
                    h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                    http1MaxPendingRequests: { type: "integer", format: "int32" },
                    http2MaxRequests: { type: "integer", format: "int32" },
                    idleTimeout: { type: "string" },
                    maxConcurrentStreams: { type: "integer", format: "int32" },
                    maxRequestsPerConnection: { type: "integer", format: "int32" },
                    maxRetries: { type: "integer", format: "int32" },
                    useClientProtocol: { type: "boolean" },
                  },
                },
                tcp: {
                  type: "object",
                  properties: {
                    connectTimeout: { type: "string" },
                    idleTimeout: { type: "string" },
                    maxConnectionDuration: { type: "string" },
                    maxConnections: { type: "integer", format: "int32" },
                    tcpKeepalive: {
                      type: "object",
                      properties: {
                        interval: { type: "string" },
                        probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                        time: { type: "string" },
                      },
                    },
                  },
                },
              },
            },
            loadBalancer: {
              type: "object",
              properties: {
                consistentHash: {
                  type: "object",
                  properties: {
                    httpCookie: {
                      type: "object",
                      required: ["name"],
                      properties: {
                        attributes: {
                          type: "array",
                          items: {
                            type: "object",
                            required: ["name"],
                            properties: { name: { type: "string" }, value: { type: "string" } },
                          },
                        },
                        name: { type: "string" },
                        path: { type: "string" },
                        ttl: { type: "string" },
                      },
                    },
                    httpHeaderName: { type: "string" },
                    httpQueryParameterName: { type: "string" },
                    maglev: { type: "object", properties: { tableSize: { type: "integer", minimum: 0 } } },
                    minimumRingSize: { type: "integer", minimum: 0 },
                    ringHash: { type: "object", properties: { minimumRingSize: { type: "integer", minimum: 0 } } },
                    useSourceIp: { type: "boolean" },
                  },
                  allOf: [
                    {
                      oneOf: [
                        {
                          not: {
                            anyOf: [
                              { required: ["httpHeaderName"] },
                              { required: ["httpCookie"] },
                              { required: ["useSourceIp"] },
                              { required: ["httpQueryParameterName"] },
                            ],
                          },
                        },
                        { required: ["httpHeaderName"] },
                        { required: ["httpCookie"] },
                        { required: ["useSourceIp"] },
                        { required: ["httpQueryParameterName"] },
                      ],
                    },
                    {
                      oneOf: [
                        { not: { anyOf: [{ required: ["ringHash"] }, { required: ["maglev"] }] } },
                        { required: ["ringHash"] },
                        { required: ["maglev"] },
                      ],
                    },
                  ],
                },
                localityLbSetting: {
                  type: "object",
                  properties: {
                    distribute: {
                      type: "array",
                      items: {
                        type: "object",
                        properties: {
                          from: { type: "string" },
                          to: {
                            type: "object",
                            additionalProperties: { type: "integer", minimum: 0, maximum: 4294967295 },
                          },
                        },
                      },
                    },
                    enabled: { type: "boolean", nullable: true },
                    failover: {
                      type: "array",
                      items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } },
                    },
                    failoverPriority: { type: "array", items: { type: "string" } },
                  },
                },
                simple: {
                  type: "string",
                  enum: ["UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"],
                },
                warmup: {
                  type: "object",
                  required: ["duration"],
                  properties: {
                    aggression: { type: "number", format: "double", minimum: 0, nullable: true },
                    duration: { type: "string" },
                    minimumPercent: { type: "number", format: "double", minimum: 0, maximum: 100, nullable: true },
                  },
                },
                warmupDurationSecs: { type: "string" },
              },
              oneOf: [
                { not: { anyOf: [{ required: ["simple"] }, { required: ["consistentHash"] }] } },
                { required: ["simple"] },
                { required: ["consistentHash"] },
              ],
            },
            outlierDetection: {
              type: "object",
              properties: {
                baseEjectionTime: { type: "string" },
                consecutive5xxErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                consecutiveErrors: { type: "integer", format: "int32" },
                consecutiveGatewayErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                consecutiveLocalOriginFailures: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                interval: { type: "string" },
                maxEjectionPercent: { type: "integer", format: "int32" },
                minHealthPercent: { type: "integer", format: "int32" },
                splitExternalLocalOriginErrors: { type: "boolean" },
              },
            },
            portLevelSettings: {
              type: "array",
              maxItems: 4096,
              items: {
                type: "object",
                properties: {
                  connectionPool: {
                    type: "object",
                    properties: {
                      http: {
                        type: "object",
                        properties: {
                          h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                          http1MaxPendingRequests: { type: "integer", format: "int32" },
                          http2MaxRequests: { type: "integer", format: "int32" },
                          idleTimeout: { type: "string" },
                          maxConcurrentStreams: { type: "integer", format: "int32" },
                          maxRequestsPerConnection: { type: "integer", format: "int32" },
                          maxRetries: { type: "integer", format: "int32" },
                          useClientProtocol: { type: "boolean" },
                        },
                      },
                      tcp: {
                        type: "object",
                        properties: {
                          connectTimeout: { type: "string" },
                          idleTimeout: { type: "string" },
                          maxConnectionDuration: { type: "string" },
                          maxConnections: { type: "integer", format: "int32" },
                          tcpKeepalive: {
                            type: "object",
                            properties: {
                              interval: { type: "string" },
                              probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                              time: { type: "string" },
                            },
                          },
                        },
                      },
                    },
                  },
                  loadBalancer: {
                    type: "object",
                    properties: {
                      consistentHash: {
                        type: "object",
                        properties: {
                          httpCookie: {
                            type: "object",
                            required: ["name"],
                            properties: {
                              attributes: {
                                type: "array",
                                items: {
                                  type: "object",
                                  required: ["name"],
                                  properties: { name: { type: "string" }, value: { type: "string" } },
                                },
                              },
                              name: { type: "string" },
                              path: { type: "string" },
                              ttl: { type: "string" },
                            },
                          },
                          httpHeaderName: { type: "string" },
                          httpQueryParameterName: { type: "string" },
                          maglev: { type: "object", properties: { tableSize: { type: "integer", minimum: 0 } } },
                          minimumRingSize: { type: "integer", minimum: 0 },
                          ringHash: {
                            type: "object",
                            properties: { minimumRingSize: { type: "integer", minimum: 0 } },
                          },
                          useSourceIp: { type: "boolean" },
                        },
                        allOf: [
                          {
                            oneOf: [
                              {
                                not: {
                                  anyOf: [
                                    { required: ["httpHeaderName"] },
                                    { required: ["httpCookie"] },
                                    { required: ["useSourceIp"] },
                                    { required: ["httpQueryParameterName"] },
                                  ],
                                },
                              },
                              { required: ["httpHeaderName"] },
                              { required: ["httpCookie"] },
                              { required: ["useSourceIp"] },
                              { required: ["httpQueryParameterName"] },
                            ],
                          },
                          {
                            oneOf: [
                              { not: { anyOf: [{ required: ["ringHash"] }, { required: ["maglev"] }] } },
                              { required: ["ringHash"] },
                              { required: ["maglev"] },
                            ],
                          },
                        ],
                      },
                      localityLbSetting: {
                        type: "object",
                        properties: {
                          distribute: {
                            type: "array",
                            items: {
                              type: "object",
                              properties: {
                                from: { type: "string" },
                                to: {
                                  type: "object",
                                  additionalProperties: { type: "integer", minimum: 0, maximum: 4294967295 },
                                },
                              },
                            },
                          },
                          enabled: { type: "boolean", nullable: true },
                          failover: {
                            type: "array",
                            items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" } } },
                          },
                          failoverPriority: { type: "array", items: { type: "string" } },
                        },
                      },
                      simple: {
                        type: "string",
                        enum: ["UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"],
                      },
                      warmup: {
                        type: "object",
                        required: ["duration"],
                        properties: {
                          aggression: { type: "number", format: "double", minimum: 0, nullable: true },
                          duration: { type: "string" },
                          minimumPercent: {
                            type: "number",
                            format: "double",
                            minimum: 0,
                            maximum: 100,
                            nullable: true,
                          },
                        },
                      },
                      warmupDurationSecs: { type: "string" },
                    },
                    oneOf: [
                      { not: { anyOf: [{ required: ["simple"] }, { required: ["consistentHash"] }] } },
                      { required: ["simple"] },
                      { required: ["consistentHash"] },
                    ],
                  },
                  outlierDetection: {
                    type: "object",
                    properties: {
                      baseEjectionTime: { type: "string" },
                      consecutive5xxErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                      consecutiveErrors: { type: "integer", format: "int32" },
                      consecutiveGatewayErrors: { type: "integer", minimum: 0, maximum: 4294967295, nullable: true },
                      consecutiveLocalOriginFailures: {
                        type: "integer",
                        minimum: 0,
                        maximum: 4294967295,
                        nullable: true,
                      },
                      interval: { type: "string" },
                      maxEjectionPercent: { type: "integer", format: "int32" },
                      minHealthPercent: { type: "integer", format: "int32" },
                      splitExternalLocalOriginErrors: { type: "boolean" },
                    },
                  },
                  port: {
                    type: "object",
                    properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } },
                  },
                  tls: {
                    type: "object",
                    properties: {
                      caCertificates: { type: "string" },
                      caCrl: { type: "string" },
                      clientCertificate: { type: "string" },
                      credentialName: { type: "string" },
                      insecureSkipVerify: { type: "boolean", nullable: true },
                      mode: { type: "string", enum: ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] },
                      privateKey: { type: "string" },
                      sni: { type: "string" },
                      subjectAltNames: { type: "array", items: { type: "string" } },
                    },
                  },
                },
              },
            },
            proxyProtocol: { type: "object", properties: { version: { type: "string", enum: ["V1", "V2"] } } },
            retryBudget: {
              type: "object",
              properties: {
                minRetryConcurrency: { type: "integer", minimum: 0, maximum: 4294967295 },
                percent: { type: "number", format: "double", minimum: 0, maximum: 100, nullable: true },
              },
            },
            tls: {
              type: "object",
              properties: {
                caCertificates: { type: "string" },
                caCrl: { type: "string" },
                clientCertificate: { type: "string" },
                credentialName: { type: "string" },
                insecureSkipVerify: { type: "boolean", nullable: true },
                mode: { type: "string", enum: ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"] },
                privateKey: { type: "string" },
                sni: { type: "string" },
                subjectAltNames: { type: "array", items: { type: "string" } },
              },
            },
            tunnel: {
              type: "object",
              required: ["targetHost", "targetPort"],
              properties: {
                protocol: { type: "string" },
                targetHost: { type: "string" },
                targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
              },
            },
          },
        },
        workloadSelector: {
          type: "object",
          properties: {
            matchLabels: {
              type: "object",
              maxProperties: 4096,
              additionalProperties: { type: "string", maxLength: 63 },
            },
          },
        },
      },
    },
  },
  Gateway: {
    group: "networking.istio.io",
    versions: ["v1", "v1alpha3", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      properties: {
        selector: { type: "object", additionalProperties: { type: "string" } },
        servers: {
          type: "array",
          items: {
            type: "object",
            required: ["port", "hosts"],
            properties: {
              bind: { type: "string" },
              defaultEndpoint: { type: "string" },
              hosts: { type: "array", items: { type: "string" } },
              name: { type: "string" },
              port: {
                type: "object",
                required: ["number", "protocol", "name"],
                properties: {
                  name: { type: "string" },
                  number: { type: "integer", minimum: 0, maximum: 4294967295 },
                  protocol: { type: "string" },
                  targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
                },
              },
              tls: {
                type: "object",
                properties: {
                  caCertCredentialName: { type: "string" },
                  caCertificates: { type: "string" },
                  caCrl: { type: "string" },
                  cipherSuites: { type: "array", items: { type: "string" } },
                  credentialName: { type: "string" },
                  credentialNames: { type: "array", minItems: 1, maxItems: 2, items: { type: "string" } },
                  httpsRedirect: { type: "boolean" },
                  maxProtocolVersion: {
                    type: "string",
                    enum: ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"],
                  },
                  minProtocolVersion: {
                    type: "string",
                    enum: ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"],
                  },
                  mode: {
                    type: "string",
                    enum: ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"],
                  },
                  privateKey: { type: "string" },
                  serverCertificate: { type: "string" },
                  subjectAltNames: { type: "array", items: { type: "string" } },
                  tlsCertificates: {
                    type: "array",
                    minItems: 1,
                    maxItems: 2,
                    items: {
                      type: "object",
                      properties: {
                        caCertificates: { type: "string" },
                        privateKey: { type: "string" },
                        serverCertificate: { type: "string" },
                      },
                    },
                  },
                  verifyCertificateHash: { type: "array", items: { type: "string" } },
                  verifyCertificateSpki: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
        },
      },
    },
  },
  ServiceEntry: {
    group: "networking.istio.io",
    versions: ["v1", "v1alpha3", "v1beta1"],
    required: ["spec"],
    spec: {
      type: "object",
      required: ["hosts"],
      properties: {
        addresses: { type: "array", maxItems: 256, items: { type: "string", maxLength: 64 } },
        endpoints: {
          type: "array",
          maxItems: 4096,
          items: {
            type: "object",
            properties: {
              address: { type: "string", maxLength: 256 },
              labels: { type: "object", maxProperties: 256, additionalProperties: { type: "string" } },
              locality: { type: "string", maxLength: 2048 },
              network: { type: "string", maxLength: 2048 },
              ports: {
                type: "object",
                maxProperties: 128,
                additionalProperties: { type: "integer", minimum: 0, maximum: 4294967295 },
              },
              serviceAccount: { type: "string", maxLength: 253 },
              weight: { type: "integer", minimum: 0, maximum: 4294967295 },
            },
          },
        },
        exportTo: { type: "array", items: { type: "string" } },
        hosts: { type: "array", minItems: 1, maxItems: 256, items: { type: "string" } },
        location: { type: "string", enum: ["MESH_EXTERNAL", "MESH_INTERNAL"] },
        ports: {
          type: "array",
          maxItems: 256,
          items: {
            type: "object",
            required: ["number", "name"],
            properties: {
              name: { type: "string", maxLength: 256 },
              number: { type: "integer", minimum: 0, maximum: 4294967295 },
              protocol: { type: "string", maxLength: 256 },
              targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
            },
          },
        },
        resolution: { type: "string", enum: ["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"] },
        subjectAltNames: { type: "array", items: { type: "string" } },
        workloadSelector: {
          type: "object",
          properties: {
            labels: { type: "object", maxProperties: 256, additionalProperties: { type: "string", maxLength: 63 } },
          },
        },
      },
    },
  },
  Sidecar: {
    group: "networking.istio.io",
    versions: ["v1", "v1alpha3", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      properties: {
        egress: {
          type: "array",
          items: {
            type: "object",
            required: ["hosts"],
            properties: {
              bind: { type: "string" },
              captureMode: { type: "string", enum: ["DEFAULT", "IPTABLES", "NONE"] },
              hosts: { type: "array", items: { type: "string" } },
              port: {
                type: "object",
                properties: {
                  name: { type: "string" },
                  number: { type: "integer", minimum: 0, maximum: 4294967295 },
                  protocol: { type: "string" },
                  targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
                },
              },
            },
          },
        },
        inboundConnectionPool: {
          type: "object",
          properties: {
            http: {
              type: "object",
              properties: {
                h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                http1MaxPendingRequests: { type: "integer", format: "int32" },
                http2MaxRequests: { type: "integer", format: "int32" },
                idleTimeout: { type: "string" },
                maxConcurrentStreams: { type: "integer", format: "int32" },
                maxRequestsPerConnection: { type: "integer", format: "int32" },
                maxRetries: { type: "integer", format: "int32" },
                useClientProtocol: { type: "boolean" },
              },
            },
            tcp: {
              type: "object",
              properties: {
                connectTimeout: { type: "string" },
                idleTimeout: { type: "string" },
                maxConnectionDuration: { type: "string" },
                maxConnections: { type: "integer", format: "int32" },
                tcpKeepalive: {
                  type: "object",
                  properties: {
                    interval: { type: "string" },
                    probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                    time: { type: "string" },
                  },
                },
              },
            },
          },
        },
        ingress: {
          type: "array",
          items: {
            type: "object",
            required: ["port"],
            properties: {
              bind: { type: "string" },
              captureMode: { type: "string", enum: ["DEFAULT", "IPTABLES", "NONE"] },
              connectionPool: {
                type: "object",
                properties: {
                  http: {
                    type: "object",
                    properties: {
                      h2UpgradePolicy: { type: "string", enum: ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"] },
                      http1MaxPendingRequests: { type: "integer", format: "int32" },
                      http2MaxRequests: { type: "integer", format: "int32" },
                      idleTimeout: { type: "string" },
                      maxConcurrentStreams: { type: "integer", format: "int32" },
                      maxRequestsPerConnection: { type: "integer", format: "int32" },
                      maxRetries: { type: "integer", format: "int32" },
                      useClientProtocol: { type: "boolean" },
                    },
                  },
                  tcp: {
                    type: "object",
                    properties: {
                      connectTimeout: { type: "string" },
                      idleTimeout: { type: "string" },
                      maxConnectionDuration: { type: "string" },
                      maxConnections: { type: "integer", format: "int32" },
                      tcpKeepalive: {
                        type: "object",
                        properties: {
                          interval: { type: "string" },
                          probes: { type: "integer", minimum: 0, maximum: 4294967295 },
                          time: { type: "string" },
                        },
                      },
                    },
                  },
                },
              },
              defaultEndpoint: { type: "string" },
              port: {
                type: "object",
                properties: {
                  name: { type: "string" },
                  number: { type: "integer", minimum: 0, maximum: 4294967295 },
                  protocol: { type: "string" },
                  targetPort: { type: "integer", minimum: 0, maximum: 4294967295 },
                },
              },
              tls: {
                type: "object",
                properties: {
                  caCertCredentialName: { type: "string" },
                  caCertificates: { type: "string" },
                  caCrl: { type: "string" },
                  cipherSuites: { type: "array", items: { type: "string" } },
                  credentialName: { type: "string" },
                  credentialNames: { type: "array", minItems: 1, maxItems: 2, items: { type: "string" } },
                  httpsRedirect: { type: "boolean" },
                  maxProtocolVersion: {
                    type: "string",
                    enum: ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"],
                  },
                  minProtocolVersion: {
                    type: "string",
                    enum: ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"],
                  },
                  mode: {
                    type: "string",
                    enum: ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"],
                  },
                  privateKey: { type: "string" },
                  serverCertificate: { type: "string" },
                  subjectAltNames: { type: "array", items: { type: "string" } },
                  tlsCertificates: {
                    type: "array",
                    minItems: 1,
                    maxItems: 2,
                    items: {
                      type: "object",
                      properties: {
                        caCertificates: { type: "string" },
                        privateKey: { type: "string" },
                        serverCertificate: { type: "string" },
                      },
                    },
                  },
                  verifyCertificateHash: { type: "array", items: { type: "string" } },
                  verifyCertificateSpki: { type: "array", items: { type: "string" } },
                },
              },
            },
          },
        },
        outboundTrafficPolicy: {
          type: "object",
          properties: {
            egressProxy: {
              type: "object",
              required: ["host"],
              properties: {
                host: { type: "string" },
                port: { type: "object", properties: { number: { type: "integer", minimum: 0, maximum: 4294967295 } } },
                subset: { type: "string" },
              },
            },
            mode: { type: "string", enum: ["REGISTRY_ONLY", "ALLOW_ANY"] },
          },
        },
        workloadSelector: {
          type: "object",
          properties: {
            labels: { type: "object", maxProperties: 256, additionalProperties: { type: "string", maxLength: 63 } },
          },
        },
      },
    },
  },
  EnvoyFilter: {
    group: "networking.istio.io",
    versions: ["v1alpha3"],
    required: [],
    spec: {
      type: "object",
      properties: {
        configPatches: {
          type: "array",
          items: {
            type: "object",
            properties: {
              applyTo: {
                type: "string",
                enum: [
                  "INVALID",
                  "LISTENER",
                  "FILTER_CHAIN",
                  "NETWORK_FILTER",
                  "HTTP_FILTER",
                  "ROUTE_CONFIGURATION",
                  "VIRTUAL_HOST",
                  "HTTP_ROUTE",
                  "CLUSTER",
                  "EXTENSION_CONFIG",
                  "BOOTSTRAP",
                  "LISTENER_FILTER",
                ],
              },
              match: {
                type: "object",
                properties: {
                  cluster: {
                    type: "object",
                    properties: {
                      name: { type: "string" },
                      portNumber: { type: "integer", minimum: 0, maximum: 4294967295 },
                      service: { type: "string" },
                      subset: { type: "string" },
                    },
                  },
                  context: {
                    type: "string",
                    enum: ["ANY", "SIDECAR_INBOUND", "SIDECAR_OUTBOUND", "GATEWAY", "WAYPOINT"],
                  },
                  listener: {
                    type: "object",
                    properties: {
                      filterChain: {
                        type: "object",
                        properties: {
                          applicationProtocols: { type: "string" },
                          destinationPort: { type: "integer", minimum: 0, maximum: 4294967295 },
                          filter: {
                            type: "object",
                            properties: {
                              name: { type: "string" },
                              subFilter: { type: "object", properties: { name: { type: "string" } } },
                            },
                          },
                          name: { type: "string" },
                          sni: { type: "string" },
                          transportProtocol: { type: "string" },
                        },
                      },
                      listenerFilter: { type: "string" },
                      name: { type: "string" },
                      portName: { type: "string" },
                      portNumber: { type: "integer", minimum: 0, maximum: 4294967295 },
                    },
                  },
                  proxy: {
                    type: "object",
                    properties: {
                      metadata: { type: "object", additionalProperties: { type: "string" } },
                      proxyVersion: { type: "string" },
                    },
                  },
                  routeConfiguration: {
                    type: "object",
                    properties: {
                      gateway: { type: "string" },
                      name: { type: "string" },
                      portName: { type: "string" },
                      portNumber: { type: "integer", minimum: 0, maximum: 4294967295 },
                      vhost: {
                        type: "object",
                        properties: {
                          domainName: { type: "string" },
                          name: { type: "string" },
                          route: {
                            type: "object",
                            properties: {
                              action: { type: "string", enum: ["ANY", "ROUTE", "REDIRECT", "DIRECT_RESPONSE"] },
                              name: { type: "string" },
                            },
                          },
                        },
                      },
                    },
                  },
                  waypoint: {
                    type: "object",
                    properties: {
                      filter: {
                        type: "object",
                        properties: {
                          name: { type: "string" },
                          subFilter: { type: "object", properties: { name: { type: "string" } } },
                        },
                      },
                      portNumber: { type: "integer", minimum: 0, maximum: 4294967295 },
                      route: { type: "object", properties: { name: { type: "string" } } },
                    },
                  },
                },
                oneOf: [
                  {
                    not: {
                      anyOf: [
                        { required: ["listener"] },
                        { required: ["routeConfiguration"] },
                        { required: ["cluster"] },
                        { required: ["waypoint"] },
                      ],
                    },
                  },
                  { required: ["listener"] },
                  { required: ["routeConfiguration"] },
                  { required: ["cluster"] },
                  { required: ["waypoint"] },
                ],
              },
              patch: {
                type: "object",
                properties: {
                  filterClass: { type: "string", enum: ["UNSPECIFIED", "AUTHN", "AUTHZ", "STATS"] },
                  operation: {
                    type: "string",
                    enum: [
                      "INVALID",
                      "MERGE",
                      "ADD",
                      "REMOVE",
                      "INSERT_BEFORE",
                      "INSERT_AFTER",
                      "INSERT_FIRST",
                      "REPLACE",
                    ],
                  },
                  value: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
            },
          },
        },
        priority: { type: "integer", format: "int32" },
        targetRefs: {
          type: "array",
          maxItems: 16,
          items: {
            type: "object",
            required: ["kind", "name"],
            properties: {
              group: {
                type: "string",
                pattern: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                maxLength: 253,
              },
              kind: { type: "string", pattern: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", minLength: 1, maxLength: 63 },
              name: { type: "string", minLength: 1, maxLength: 253 },
              namespace: { type: "string" },
            },
          },
        },
        workloadSelector: {
          type: "object",
          properties: {
            labels: { type: "object", maxProperties: 256, additionalProperties: { type: "string", maxLength: 63 } },
          },
        },
      },
    },
  },
  PeerAuthentication: {
    group: "security.istio.io",
    versions: ["v1", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      properties: {
        mtls: {
          type: "object",
          properties: { mode: { type: "string", enum: ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"] } },
        },
        portLevelMtls: {
          type: "object",
          minProperties: 1,
          additionalProperties: {
            type: "object",
            properties: { mode: { type: "string", enum: ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"] } },
          },
        },
        selector: {
          type: "object",
          properties: {
            matchLabels: {
              type: "object",
              maxProperties: 4096,
              additionalProperties: { type: "string", maxLength: 63 },
            },
          },
        },
      },
    },
  },
  AuthorizationPolicy: {
    group: "security.istio.io",
    versions: ["v1", "v1beta1"],
    required: [],
    spec: {
      type: "object",
      properties: {
        action: { type: "string", enum: ["ALLOW", "DENY", "AUDIT", "CUSTOM"] },
        provider: { type: "object", properties: { name: { type: "string" } } },
        rules: {
          type: "array",
          maxItems: 512,
          items: {
            type: "object",
            properties: {
              from: {
                type: "array",
                maxItems: 512,
                items: {
                  type: "object",
                  properties: {
                    source: {
                      type: "object",
                      properties: {
                        ipBlocks: { type: "array", items: { type: "string" } },
                        namespaces: { type: "array", items: { type: "string" } },
                        notIpBlocks: { type: "array", items: { type: "string" } },
                        notNamespaces: { type: "array", items: { type: "string" } },
                        notPrincipals: { type: "array", items: { type: "string" } },
                        notRemoteIpBlocks: { type: "array", items: { type: "string" } },
                        notRequestPrincipals: { type: "array", items: { type: "string" } },
                        notServiceAccounts: { type: "array", maxItems: 16, items: { type: "string", maxLength: 320 } },
                        notTrustDomains: { type: "array", items: { type: "string" } },
                        principals: { type: "array", items: { type: "string" } },
                        remoteIpBlocks: { type: "array", items: { type: "string" } },
                        requestPrincipals: { type: "array", items: { type: "string" } },
                        serviceAccounts: { type: "array", maxItems: 16, items: { type: "string", maxLength: 320 } },
                        trustDomains: { type: "array", items: { type: "string" } },
                      },
                    },
                  },
                },
              },
              to: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    operation: {
                      type: "object",
                      properties: {
                        hosts: { type: "array", items: { type: "string" } },
                        methods: { type: "array", items: { type: "string" } },
                        notHosts: { type: "array", items: { type: "string" } },
                        notMethods: { type: "array", items: { type: "string" } },
                        notPaths: { type: "array", items: { type: "string" } },
                        notPorts: { type: "array", items: { type: "string" } },
                        paths: { type: "array", items: { type: "string" } },
                        ports: { type: "array", items: { type: "string" } },
                      },
                    },
                  },
                },
              },
              when: {
                type: "array",
                items: {
                  type: "object",
                  required: ["key"],
                  properties: {
                    key: { type: "string" },
                    notValues: { type: "array", items: { type: "string" } },
                    values: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          },
        },
        selector: {
          type: "object",
          properties: {
            matchLabels: {
              type: "object",
              maxProperties: 4096,
              additionalProperties: { type: "string", maxLength: 63 },
            },
          },
        },
        targetRef: {
          type: "object",
          required: ["kind", "name"],
          properties: {
            group: {
              type: "string",
              pattern: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
              maxLength: 253,
            },
            kind: { type: "string", pattern: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", minLength: 1, maxLength: 63 },
            name: { type: "string", minLength: 1, maxLength: 253 },
            namespace: { type: "string" },
          },
        },
        targetRefs: {
          type: "array",
          maxItems: 16,
          items: {
            type: "object",
            required: ["kind", "name"],
            properties: {
              group: {
                type: "string",
                pattern: "^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                maxLength: 253,
              },
              kind: { type: "string", pattern: "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$", minLength: 1, maxLength: 63 },
              name: { type: "string", minLength: 1, maxLength: 253 },
              namespace: { type: "string" },
            },
          },
        },
      },
      oneOf: [{ not: { anyOf: [{ required: ["provider"] }] } }, { required: ["provider"] }],
    },
  },
};
