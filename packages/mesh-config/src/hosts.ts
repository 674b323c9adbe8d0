// Host names in Istio objects (VirtualService `hosts`, `destination.host`, DestinationRule `host`).
//
// Istio resolves a short name against the namespace of the object that contains it, not the namespace of the
// service ("Istio will interpret the short name based on the namespace of the rule"; istio/istio
// pkg/config/model.go ResolveShortnameToFQDN), with the Kubernetes cluster domain `cluster.local`.
//
// Deviation, on purpose: Istio treats any name containing a dot as already qualified, so `reviews.bookinfo` stays
// as written there. Here a two-label name is read as `<service>.<namespace>` and `<service>.<namespace>.svc` is
// completed as well, because that is how people write in-cluster hosts and Meshscope only resolves them against
// known services. The price: a two-label external name (`example.com`) is also expanded; external hosts of
// three or more labels (`www.googleapis.com`) are left alone.

export const CLUSTER_DOMAIN = "cluster.local";
const SVC_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;

/** The fully qualified form of `host` as seen from an object in `namespace`; wildcards and FQDNs are unchanged. */
export function toFqdn(host: string, namespace: string): string {
  const h = host.trim().toLowerCase();
  if (h === "" || h.startsWith("*") || isIpAddress(h)) return h;
  const labels = h.split(".");
  if (labels.length === 1) return `${h}.${namespace}${SVC_SUFFIX}`;
  if (labels.length === 2) return `${h}${SVC_SUFFIX}`;
  if (labels.length === 3 && labels[2] === "svc") return `${h}.${CLUSTER_DOMAIN}`;
  return h;
}

/** `reviews` for `reviews`, `reviews.bookinfo` or `reviews.bookinfo.svc.cluster.local`; other hosts unchanged. */
export function shortServiceName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("*") || isIpAddress(h)) return h;
  const labels = h.split(".");
  const inCluster = labels.length <= 2 || (labels.length === 3 && labels[2] === "svc") || h.endsWith(SVC_SUFFIX);
  return inCluster ? (labels[0] ?? h) : h;
}

/**
 * Whether every name `host` stands for is covered by `pattern`, with Istio's wildcard rules (istio/istio
 * pkg/config/host Name.SubsetOf): `*` covers everything; `*.example.com` covers `a.example.com`,
 * `a.b.example.com` and `*.b.example.com` but not `example.com`; otherwise the names must be equal. Short names on
 * either side are first resolved against `namespace`, the namespace of the object that holds them. Host names
 * are case-insensitive (DNS). A dotted name is also tried as written, so the two-label expansion of toFqdn never
 * hides an external name (`*.com` covers `example.com`).
 */
export function hostMatches(pattern: string, host: string, namespace = "default"): boolean {
  const patterns = spellings(pattern, namespace);
  return spellings(host, namespace).some((h) => patterns.some((p) => covers(p, h)));
}

function spellings(host: string, namespace: string): string[] {
  const written = host.trim().toLowerCase();
  const fqdn = toFqdn(host, namespace);
  return written.includes(".") && written !== fqdn ? [fqdn, written] : [fqdn];
}

function covers(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (host.startsWith("*")) return pattern.startsWith("*") && host.slice(1).endsWith(pattern.slice(1));
  if (pattern.startsWith("*")) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

// Istio leaves IP literals alone (netutil.IsValidIPAddress) rather than appending a namespace to them.
function isIpAddress(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || (h.includes(":") && /^[0-9a-f:.]+$/.test(h));
}
