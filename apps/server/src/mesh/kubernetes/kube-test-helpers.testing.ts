// Shared by the Kubernetes target tests: a kubeconfig for the fake, a kubectl-like client for edits made "by
// someone else", and Bookinfo-style objects.
import { KubeConfig } from "@kubernetes/client-node";
import type { DestinationRule, VirtualService } from "@meshscope/mesh-config";
import type { FakeKubeApi } from "./fake-kube-api.testing.js";

/** A kubeconfig as a user would write it, pointing at the fake over plain HTTP with its bearer token. */
export function kubeconfigYaml(fake: FakeKubeApi): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: fake",
    "  cluster:",
    `    server: ${fake.url}`,
    // client-node refuses plain http unless TLS verification is explicitly off (there is no TLS to verify).
    "    insecure-skip-tls-verify: true",
    "users:",
    "- name: meshscope",
    "  user:",
    `    token: ${fake.token}`,
    "contexts:",
    "- name: fake",
    "  context:",
    "    cluster: fake",
    "    user: meshscope",
    "current-context: fake",
    "",
  ].join("\n");
}

export function kubeConfigFor(fake: FakeKubeApi): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(kubeconfigYaml(fake));
  return config;
}

export interface KubectlAnswer {
  status: number;
  body: unknown;
}

/** A raw request as kubectl would send it, for changes made outside Meshscope. */
export async function kubectl(
  fake: FakeKubeApi,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubectlAnswer> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${fake.token}`, "content-type": contentType, "user-agent": "kubectl/v1.33.0" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

export const VS_PATH = "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices";
export const DR_PATH = "/apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules";

export function reviewsRule(): DestinationRule {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: "reviews", namespace: "bookinfo", labels: { "app.kubernetes.io/managed-by": "meshscope" } },
    spec: {
      host: "reviews",
      subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })),
    },
  };
}

export function reviewsRoute(weights: { v1: number; v3: number }): VirtualService {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo", labels: { "app.kubernetes.io/managed-by": "meshscope" } },
    spec: {
      hosts: ["reviews"],
      http: [
        {
          route: [
            { destination: { host: "reviews", subset: "v1" }, weight: weights.v1 },
            { destination: { host: "reviews", subset: "v3" }, weight: weights.v3 },
          ],
        },
      ],
    },
  };
}
