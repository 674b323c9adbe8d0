/**
 * The three non-data states every panel has. Each is a live region so screen readers hear "Loading…" turn into
 * an error or an empty result, and each carries a `data-testid` tests wait on instead of sleeping.
 */
import type { ReactNode } from "react";
import { ApiError } from "../api/client";

export function LoadingState({ label = "Loading…", testId }: { label?: string; testId?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid={testId ?? "state-loading"}>
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="state state-empty" role="status" data-testid={testId ?? "state-empty"}>
      <p className="state-title">{title}</p>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  title = "Could not load this panel",
  onRetry,
  testId,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  testId?: string;
}) {
  const code = error instanceof ApiError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert" data-testid={testId ?? "state-error"}>
      <p className="state-title">{title}</p>
      <p className="state-body">
        {code && <code className="error-code">{code}</code>} {message}
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
