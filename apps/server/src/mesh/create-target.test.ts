import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../ops/logger.js";
import { createMeshTarget } from "./create-target.js";

// A kubeconfig naming a cluster nobody listens on: creating the target must not need the cluster.
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: nobody, user: {token: x}}]
contexts: [{name: none, context: {cluster: none, user: nobody}}]
current-context: none
`;

describe("the mesh target selection", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "meshscope-target-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("uses the config directory by default and the cluster of the kubeconfig when asked", async () => {
    const files = await createMeshTarget({ meshTarget: "files", meshConfigDir: dir, kubeconfig: null }, silentLogger);
    expect(files.kind).toBe("files");
    await files.close();
    const kubeconfig = path.join(dir, "kubeconfig");
    writeFileSync(kubeconfig, KUBECONFIG);
    const cluster = await createMeshTarget({ meshTarget: "kubernetes", meshConfigDir: dir, kubeconfig }, silentLogger);
    expect(cluster.kind).toBe("kubernetes");
    await cluster.close();
  });
});
