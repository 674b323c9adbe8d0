/** Form state → the wizard's request body (DESIGN §5), and the cross-field rules a form cannot enforce by itself. */
import type {
  AccessControlForm,
  CircuitBreakerForm,
  DurationForm,
  FaultInjectionForm,
  RateLimitForm,
  RequestRoutingForm,
  RouteRuleForm,
  TimeoutsRetriesForm,
  TrafficShiftingForm,
  WizardForm,
} from "./form-state";
import type {
  AccessControlBody,
  CircuitBreakerBody,
  FaultInjectionBody,
  RequestRoutingBody,
  StringMatch,
  TimeoutsRetriesBody,
  TrafficShiftingBody,
  WizardBody,
  WizardTarget,
} from "./wizard-bodies";

export function formatDuration(d: DurationForm): string {
  return `${Math.max(1, Math.round(d.value))}${d.unit}`;
}

/** "a, b ,,c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function trafficShifting(f: TrafficShiftingForm, t: WizardTarget): TrafficShiftingBody {
  const mirrored = f.mirror.enabled ? f.mirror.version : null;
  return {
    ...t,
    // A mirrored version is only a mirror target: routing real traffic to it too would be flagged (KIA1106-style).
    weights: f.weights.filter((w) => w.version !== mirrored).map((w) => ({ version: w.version, weight: w.weight })),
    ...(mirrored !== null ? { mirror: { version: mirrored, percentage: { value: f.mirror.percentage } } } : {}),
  };
}

function stringMatch(rule: RouteRuleForm): StringMatch {
  switch (rule.type) {
    case "exact":
      return { exact: rule.value };
    case "prefix":
      return { prefix: rule.value };
    case "regex":
      return { regex: rule.value };
  }
}

function requestRouting(f: RequestRoutingForm, t: WizardTarget): RequestRoutingBody {
  return {
    ...t,
    rules: f.rules.map((rule) => {
      const name = rule.name.trim();
      const m = stringMatch(rule);
      if (rule.kind === "uri") return { match: { uri: m }, version: rule.version };
      if (rule.kind === "query") return { match: { queryParams: { [name]: m } }, version: rule.version };
      return { match: { headers: { [name.toLowerCase()]: m } }, version: rule.version };
    }),
    defaultVersion: f.defaultVersion,
  };
}

function faultInjection(f: FaultInjectionForm, t: WizardTarget): FaultInjectionBody {
  return {
    ...t,
    ...(f.delay.enabled
      ? { delay: { percentage: { value: f.delay.percent }, fixedDelay: formatDuration(f.delay.duration) } }
      : {}),
    ...(f.abort.enabled ? { abort: { percentage: { value: f.abort.percent }, httpStatus: f.abort.status } } : {}),
  };
}

function timeoutsRetries(f: TimeoutsRetriesForm, t: WizardTarget): TimeoutsRetriesBody {
  const r = f.retries;
  const retryOn = splitList(r.retryOn).join(",");
  return {
    ...t,
    ...(f.timeout.enabled ? { timeout: formatDuration(f.timeout.duration) } : {}),
    ...(r.enabled
      ? {
          retries: {
            attempts: r.attempts,
            ...(r.perTry.enabled ? { perTryTimeout: formatDuration(r.perTry.duration) } : {}),
            ...(retryOn !== "" ? { retryOn } : {}),
          },
        }
      : {}),
  };
}

function circuitBreaker(f: CircuitBreakerForm, t: WizardTarget): CircuitBreakerBody {
  const { pool, outlier } = f;
  return {
    ...t,
    ...(pool.enabled
      ? {
          connectionPool: {
            tcp: { maxConnections: pool.maxConnections },
            http: {
              http1MaxPendingRequests: pool.http1MaxPendingRequests,
              maxRequestsPerConnection: pool.maxRequestsPerConnection,
            },
          },
        }
      : {}),
    ...(outlier.enabled
      ? {
          outlierDetection: {
            consecutive5xxErrors: outlier.consecutive5xxErrors,
            interval: formatDuration(outlier.interval),
            baseEjectionTime: formatDuration(outlier.baseEjectionTime),
            maxEjectionPercent: outlier.maxEjectionPercent,
          },
        }
      : {}),
  };
}

function accessControl(f: AccessControlForm, t: WizardTarget): AccessControlBody {
  return {
    ...t,
    action: f.action,
    rules: f.rules.map((r) => {
      const principals = splitList(r.principals);
      const namespaces = splitList(r.namespaces);
      const methods = splitList(r.methods).map((m) => m.toUpperCase());
      const paths = splitList(r.paths);
      const from = {
        ...(principals.length > 0 ? { principals } : {}),
        ...(namespaces.length > 0 ? { namespaces } : {}),
      };
      const to = { ...(methods.length > 0 ? { methods } : {}), ...(paths.length > 0 ? { paths } : {}) };
      return {
        ...(Object.keys(from).length > 0 ? { from } : {}),
        ...(Object.keys(to).length > 0 ? { to } : {}),
      };
    }),
  };
}

export function wizardBody(state: WizardForm, target: WizardTarget): WizardBody {
  switch (state.wizard) {
    case "traffic-shifting":
      return trafficShifting(state.form, target);
    case "request-routing":
      return requestRouting(state.form, target);
    case "fault-injection":
      return faultInjection(state.form, target);
    case "timeouts-retries":
      return timeoutsRetries(state.form, target);
    case "circuit-breaker":
      return circuitBreaker(state.form, target);
    case "mirroring":
      return {
        ...target,
        version: state.form.version,
        mirror: { version: state.form.mirrorVersion },
        percentage: { value: state.form.percentage },
      };
    case "rate-limit":
      return {
        ...target,
        maxTokens: state.form.maxTokens,
        tokensPerFill: state.form.tokensPerFill,
        fillInterval: formatDuration(state.form.fillInterval),
      };
    case "mtls":
      return { ...target, mode: state.form.mode, scope: state.form.scope };
    case "access-control":
      return accessControl(state.form, target);
  }
}

function routingProblems(f: RequestRoutingForm): string[] {
  const problems: string[] = [];
  if (f.rules.length === 0) problems.push("Add at least one rule.");
  f.rules.forEach((r, i) => {
    if (r.kind !== "uri" && r.name.trim() === "") problems.push(`Rule ${i + 1}: name the ${r.kind} to match.`);
    if (r.value === "") problems.push(`Rule ${i + 1}: give a value to match.`);
    if (r.type === "regex" && !isRegex(r.value)) problems.push(`Rule ${i + 1}: "${r.value}" is not a valid regex.`);
  });
  return problems;
}

/** Envoy refuses a token bucket refilled more often than every 50 ms. */
const MIN_FILL_INTERVAL_MS = 50;

function rateLimitProblems(f: RateLimitForm): string[] {
  const problems: string[] = [];
  if (durationMs(f.fillInterval) < MIN_FILL_INTERVAL_MS) problems.push("Envoy needs a fill interval of at least 50ms.");
  if (f.tokensPerFill > f.maxTokens) problems.push("Tokens per fill cannot exceed the bucket size (max tokens).");
  return problems;
}

export function durationMs(d: DurationForm): number {
  return d.value * (d.unit === "ms" ? 1 : d.unit === "s" ? 1_000 : 60_000);
}

function isRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** What keeps the form from a preview; [] when it can go. The server's validation still runs in the preview. */
export function formProblems(state: WizardForm): string[] {
  switch (state.wizard) {
    case "traffic-shifting":
      return state.form.weights.length === 0 ? ["The service has no versions to shift traffic between."] : [];
    case "request-routing":
      return routingProblems(state.form);
    case "fault-injection":
      return state.form.delay.enabled || state.form.abort.enabled ? [] : ["Add a delay, an abort or both."];
    case "timeouts-retries":
      return state.form.timeout.enabled || state.form.retries.enabled ? [] : ["Add a timeout, retries or both."];
    case "circuit-breaker":
      return state.form.pool.enabled || state.form.outlier.enabled
        ? []
        : ["Add a connection pool, outlier detection or both."];
    case "mirroring":
      return state.form.version === state.form.mirrorVersion
        ? ["Mirror to a version other than the one that serves the traffic."]
        : [];
    case "rate-limit":
      return rateLimitProblems(state.form);
    case "mtls":
      return [];
    case "access-control":
      // No rules means "allow nothing" for ALLOW and "deny nothing" for DENY: never what a form means.
      return state.form.rules.length === 0 ? ["Add at least one rule."] : [];
  }
}
