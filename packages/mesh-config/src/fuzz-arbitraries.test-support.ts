/**
 * Fuzz targets of the Istio YAML reader (issue #8 point 4), shared by parse-yaml.fuzz.test.ts and bench/fuzz.ts.
 * `parseMeshYaml` is documented never to throw: a document that is not YAML or not a mesh object becomes an
 * entry in `errors`. So every target asserts: no throw at all, an answer within the hang bound, and — for alias
 * bombs — a refusal rather than an expansion. Test support only (`*.test-support.ts` is excluded from the build).
 *
 * The fuzzing core (targets, mutations, the hang bound) is the wire package's, reused by a relative import as
 * bench/ does: this package does not depend on @meshscope/wire, and this file is never built.
 */
import fc from "fast-check";
import {
  assertSame,
  decodeOrDocumentedError,
  type FuzzTarget,
  fuzzTarget,
  mutatedText,
} from "../../wire/src/testing/fuzz-arbitraries.js";
import { REVIEWS_90_10, REVIEWS_SUBSETS } from "./istio-samples.test-support.js";
import { type MeshYamlParseResult, parseMeshYaml, stringifyMeshYaml } from "./parse-yaml.js";

/** Istio's circuit-breaking task (tasks/traffic-management/circuit-breaking), for the reviews subsets. */
const CIRCUIT_BREAKER_POLICY = `  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
`;

// Istio's own shapes (Bookinfo samples and the tasks' circuit breaker, fault injection, mTLS and authz), inline so
// the targets need no outside files.
const ISTIO_SAMPLES = [
  REVIEWS_90_10,
  REVIEWS_SUBSETS.replace("  subsets:\n", `${CIRCUIT_BREAKER_POLICY}  subsets:\n`),
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
  - ratings
  http:
  - match:
    - headers:
        end-user:
          exact: jason
    fault:
      delay:
        percentage:
          value: 100.0
        fixedDelay: 7s
      abort:
        percentage:
          value: 10
        httpStatus: 500
    route:
    - destination:
        host: ratings
        subset: v1
    timeout: 10s
    retries:
      attempts: 3
      perTryTimeout: 2s
  - route:
    - destination:
        host: ratings
        subset: v1
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
`,
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow-productpage
  namespace: bookinfo
  labels:
    app: productpage
spec:
  selector:
    matchLabels:
      app: productpage
  action: ALLOW
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/bookinfo/sa/bookinfo-gateway"]
    to:
    - operation:
        methods: ["GET"]
        paths: ["/productpage", "/static/*"]
`,
];

const YAML_TOKENS = [
  "key: ",
  "- ",
  "-",
  ": ",
  "&a ",
  "&b ",
  "*a",
  "*b",
  "<<: *a",
  "---\n",
  "...\n",
  "{",
  "}",
  "[",
  "]",
  ", ",
  "'",
  '"',
  "!!str ",
  "!!binary ",
  "!!map ",
  "!!js/function ",
  "!custom ",
  "%YAML 1.2\n",
  "%TAG ! tag:x,2000:\n",
  "? ",
  "|\n",
  ">-\n",
  "\n",
  "  ",
  "\t",
  "# c\n",
  "kind: VirtualService\n",
  "apiVersion: networking.istio.io/v1\n",
  "metadata:\n  name: x\n",
  "spec:\n",
  "weight: ",
  "100",
  "-1e999",
  "0x1F",
  ".nan",
  "~",
  "null",
  "__proto__: ",
  "\u0000",
  "\ufeff",
];

const yamlishText = fc
  .array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 6 })), { maxLength: 80 })
  .map((tokens) => tokens.join(""));

/** Line-level edits of a valid document: drop, repeat or swap lines, change their indentation. */
const lineEdited = fc
  .tuple(
    fc.nat({ max: ISTIO_SAMPLES.length - 1 }),
    fc.array(
      fc.record({
        op: fc.constantFrom("drop", "repeat", "swap", "indent", "dedent"),
        at: fc.nat({ max: 200 }),
        other: fc.nat({ max: 200 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  )
  .map(([i, edits]) => {
    const lines = (ISTIO_SAMPLES[i] ?? "").split("\n");
    for (const e of edits) {
      if (lines.length === 0) break;
      const at = e.at % lines.length;
      const line = lines[at] ?? "";
      if (e.op === "drop") lines.splice(at, 1);
      else if (e.op === "repeat") lines.splice(at, 0, line);
      else if (e.op === "indent") lines[at] = `  ${line}`;
      else if (e.op === "dedent") lines[at] = line.replace(/^ {1,2}/, "");
      else {
        const j = e.other % lines.length;
        lines[at] = lines[j] ?? "";
        lines[j] = line;
      }
    }
    return lines.join("\n");
  });

/**
 * "Billion laughs": level k is a list of `width` aliases of level k-1, so the last level expands to
 * width^depth leaves. Optionally placed inside an Istio object, where the object reader would walk it, and with
 * merge keys (`<<`), which expand too.
 */
const aliasBomb = fc
  .record({
    width: fc.integer({ min: 2, max: 10 }),
    depth: fc.integer({ min: 1, max: 12 }),
    inObject: fc.boolean(),
    merge: fc.boolean(),
  })
  .map(({ width, depth, inObject, merge }) => {
    const lines = [merge ? "l0: &l0 {a: lol, b: lol}" : "l0: &l0 [lol, lol]"];
    for (let k = 1; k <= depth; k++) {
      const refs = Array.from({ length: width }, () => `*l${k - 1}`);
      lines.push(
        merge
          ? `l${k}: &l${k} {${refs.map((r, i) => (i === 0 ? `<<: ${r}` : `k${i}: ${r}`)).join(", ")}}`
          : `l${k}: &l${k} [${refs.join(", ")}]`,
      );
    }
    const leaves = 2 * width ** depth;
    const body = inObject
      ? `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: bomb\nspec:\n  hosts: [x]\n  anchors:\n${lines.map((l) => `    ${l}`).join("\n")}\n  http: *l${depth}\n`
      : `${lines.join("\n")}\n`;
    return { text: body, leaves };
  });

const neverThrows = () => false;

/** Parses within the hang bound, never throwing; every issue names a document that exists. */
function checkedParse(text: string): MeshYamlParseResult {
  const result = decodeOrDocumentedError(() => parseMeshYaml(text, { source: "fuzz" }), neverThrows);
  if (result === undefined) throw new Error("unreachable: parseMeshYaml returned nothing");
  for (const e of result.errors) {
    if (!(Number.isInteger(e.document) && e.document >= 1)) throw new Error(`issue in document ${e.document}`);
    if (typeof e.message !== "string" || e.message === "") throw new Error("issue without a message");
  }
  return result;
}

/** Whatever parseMeshYaml accepts, stringifyMeshYaml writes so that it parses back to the same objects. */
function checkedRoundTrip(text: string): void {
  const first = checkedParse(text);
  if (first.objects.length === 0) return;
  const again = parseMeshYaml(stringifyMeshYaml(first.objects));
  assertSame("issues after a round trip", again.errors, []);
  assertSame("objects after a round trip", again.objects, first.objects);
}

export function meshYamlTargets(): FuzzTarget[] {
  return [
    fuzzTarget("mesh-yaml: arbitrary text", 500, () =>
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 })), (t) => {
        checkedParse(t);
      }),
    ),
    fuzzTarget("mesh-yaml: YAML-ish token soup", 300, () =>
      fc.property(yamlishText, (t) => {
        checkedParse(t);
      }),
    ),
    fuzzTarget("mesh-yaml: alias bombs are refused, not expanded", 60, () =>
      fc.property(aliasBomb, ({ text, leaves }) => {
        const result = checkedParse(text);
        // Past a million leaves the expansion must have been refused (yaml's maxAliasCount), not performed.
        if (leaves > 1_000_000 && result.errors.length === 0) {
          throw new Error(`an alias bomb of ${leaves} leaves was expanded without an issue`);
        }
      }),
    ),
    fuzzTarget("mesh-yaml: mutated Istio samples (bytes), and parse∘stringify is the identity", 100, () =>
      fc.property(mutatedText(ISTIO_SAMPLES), checkedRoundTrip),
    ),
    fuzzTarget("mesh-yaml: line-edited Istio samples, and parse∘stringify is the identity", 100, () =>
      fc.property(lineEdited, checkedRoundTrip),
    ),
  ];
}
