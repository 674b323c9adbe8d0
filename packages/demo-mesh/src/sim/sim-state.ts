// Everything one simulated mesh carries between requests: topology, config in force, the seeded generators and
// the state the proxies keep (connection pools, outlier detectors, rate-limit buckets).

import type { MeshObject } from "@meshscope/mesh-config";
import { ConfigIndex } from "./config-index.js";
import { ConnectionPools } from "./connection-pool.js";
import { LabelFactory } from "./labels.js";
import { OutlierDetectors } from "./outlier.js";
import { Prng } from "./prng.js";
import { TokenBuckets } from "./rate-limit.js";
import type { Report } from "./report-queue.js";
import type { SpanCommon } from "./spans.js";
import type { TopologyIndex } from "./topology-index.js";
import { ClusterCache } from "./upstream-cluster.js";

export class SimState {
  config: ConfigIndex;
  clusters: ClusterCache;
  /** Every choice that shapes traffic and metrics. */
  readonly prng: Prng;
  /**
   * Span ids and the sampling decision: a separate stream, so the sample rate never changes the metrics.
   */
  readonly idPrng: Prng;
  readonly pools = new ConnectionPools();
  readonly outliers = new OutlierDetectors();
  readonly buckets = new TokenBuckets();
  readonly labels: LabelFactory;

  constructor(
    readonly topo: TopologyIndex,
    seed: number,
  ) {
    this.prng = new Prng(seed);
    this.idPrng = new Prng(seed ^ 0x5bd1e995);
    this.labels = new LabelFactory(topo.topology.cluster, topo.workloads.length);
    this.config = new ConfigIndex([], 0);
    this.clusters = new ClusterCache(this.config, topo);
  }

  setConfig(objects: readonly MeshObject[]): void {
    this.config = new ConfigIndex(objects, this.config.version + 1);
    this.clusters = new ClusterCache(this.config, this.topo);
  }
}

/** One request from the edge of the mesh, with everything its hops share. */
export interface RequestCtx {
  reports: Report[];
  sampled: boolean;
  span: SpanCommon;
  /** Headers of the request as it enters the mesh at the gateway (no `end-user`: browsers send a session cookie). */
  entryHeaders: Readonly<Record<string, string>>;
  /** Headers apps forward on their outbound calls (`end-user` for logged-in users; Bookinfo forwards it). */
  forwardedHeaders: Readonly<Record<string, string>>;
  /** Wire bytes of one request's headers (istio_request_bytes counts wire bytes). */
  requestBytes: number;
}
