// Public surface of @meshscope/demo-mesh: Bookinfo and synthetic meshes that obey Istio config and speak the
// public protocols (Prometheus text in Envoy's format, remote-write, OTLP). src/sim is pure and seeded; src/io
// does the I/O (HTTP endpoint, OTLP exporter, config-directory watcher, remote-write push).

export { type DemoMeshOptions, type RunningDemoMesh, startDemoMesh } from "./io/demo-runner.js";
export { IstioMetricsRegistry } from "./io/metrics-registry.js";
export { bookinfoTopology } from "./sim/bookinfo.js";
export type {
  AppCall,
  DemoSpan,
  IstioRequestLabels,
  LatencyModel,
  MetricRecorder,
  ServiceSpec,
  Simulator,
  SimulatorOptions,
  SpanSink,
  Topology,
  WorkloadSpec,
} from "./sim/contracts.js";
export { createSimulator } from "./sim/simulator.js";
export { type SyntheticMeshOptions, syntheticTopology } from "./sim/synthetic.js";
