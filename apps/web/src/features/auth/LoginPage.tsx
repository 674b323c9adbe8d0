import type { AuthMeResponse } from "@meshscope/model";
import { useId, useState } from "react";
import { Navigate, useSearchParams } from "react-router";
import { ErrorState, LoadingState } from "../../components/states";
import { useAuthQuery, useLoginMutation } from "./queries";
import { oidcLoginPath, sanitizeReturnTo } from "./return-to";
import "./auth.css";

/**
 * `/login`: the token form and, where the server offers it, single sign-on. Outside the shell (no sidebar, no
 * API calls but `/api/auth/me`). Someone already signed in, or any visitor in anonymous mode, goes straight on
 * to `returnTo`; so does a person right after signing in (the login mutation updates `/api/auth/me`'s cache).
 */
export function LoginPage() {
  const [params] = useSearchParams();
  const returnTo = sanitizeReturnTo(params.get("returnTo"));
  const query = useAuthQuery();
  const me = query.data;
  if (me && (me.user !== null || me.mode === "anonymous")) return <Navigate to={returnTo} replace />;
  return (
    <div className="auth-screen">
      <title>Sign in · Meshscope</title>
      <main className="login-card" data-testid="page-login">
        <div className="login-brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>Meshscope</span>
        </div>
        <h1 className="login-title" data-testid="page-title">
          Sign in
        </h1>
        {/* The OIDC callback comes back here with ?error= when the provider or the server refused the sign-in. */}
        {params.get("error") && (
          <p className="field-error login-error" role="alert" data-testid="login-sso-error">
            Single sign-on failed: {params.get("error")}
          </p>
        )}
        {me ? (
          <LoginMethods me={me} returnTo={returnTo} />
        ) : query.isError ? (
          <ErrorState
            title="Cannot reach the meshscope server"
            error={query.error}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <LoadingState label="Loading…" />
        )}
      </main>
    </div>
  );
}

function LoginMethods({ me, returnTo }: { me: AuthMeResponse; returnTo: string }) {
  const hasToken = me.loginMethods.includes("token");
  const hasOidc = me.loginMethods.includes("oidc");
  if (!hasToken && !hasOidc) {
    return <p className="muted">This server offers no way to sign in from the console. Ask its operator.</p>;
  }
  return (
    <>
      {hasOidc && (
        // A link, not a fetch: the OIDC login is a full-page round trip through the identity provider.
        <a className="button button-primary login-sso" href={oidcLoginPath(returnTo)} data-testid="login-sso">
          Sign in with SSO
        </a>
      )}
      {hasOidc && hasToken && <p className="login-or">or use an access token</p>}
      {hasToken && <TokenForm />}
    </>
  );
}

function TokenForm() {
  const [token, setToken] = useState("");
  const login = useLoginMutation();
  const inputId = useId();
  const errorId = useId();
  const trimmed = token.trim();
  return (
    <form
      className="login-form"
      data-testid="login-form"
      onSubmit={(e) => {
        e.preventDefault();
        // A pasted token often brings a trailing newline or space; no token contains whitespace at its ends.
        if (trimmed !== "") login.mutate({ token: trimmed });
      }}
    >
      <div className="field">
        <label htmlFor={inputId}>Access token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-invalid={login.isError}
          aria-describedby={login.isError ? errorId : undefined}
          data-testid="login-token"
        />
      </div>
      {login.isError && (
        <p id={errorId} className="field-error login-error" role="alert" data-testid="login-error">
          {login.error.message}
        </p>
      )}
      <button
        type="submit"
        className="button button-primary login-submit"
        disabled={trimmed === "" || login.isPending}
        data-testid="login-submit"
      >
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
