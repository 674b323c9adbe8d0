/** The mesh-config service of the meshscope process: its target, its revisions in the store's file, started. */
import type { MeshscopeConfig } from "../config/load-config.js";
import type { MetricReader } from "../metrics/metric-reader.js";
import type { Logger } from "../ops/logger.js";
import { createMeshTarget } from "./create-target.js";
import { MeshService } from "./mesh-service.js";
import { openRevisionStore } from "./revisions.js";

export interface MeshStartDeps {
  metrics?: MetricReader;
  logger: Logger;
}

export async function startMeshService(
  config: Pick<MeshscopeConfig, "meshTarget" | "meshConfigDir" | "kubeconfig" | "dbPath">,
  deps: MeshStartDeps,
): Promise<MeshService> {
  const target = await createMeshTarget(config, deps.logger);
  const revisions = openRevisionStore(config.dbPath);
  const service = new MeshService({
    target,
    revisions,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    nowUs: () => Date.now() * 1000,
    logger: deps.logger.child({ component: "mesh-config" }),
  });
  try {
    await service.start();
  } catch (error) {
    await service.close().catch(() => undefined);
    throw error;
  }
  return service;
}
