/**
 * A real OpenID provider for tests: oidc-provider (the certified Node implementation) on 127.0.0.1 with an
 * ephemeral port, one registered client, accounts given by the test, and its development login and consent
 * pages. `signInThroughProvider` then plays the browser: it follows the redirects from Meshscope's login route
 * through the provider's pages and back, with a cookie jar, as a person clicking through would.
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Provider, { type ProviderAccount } from "oidc-provider";

export interface TestOidcProviderOptions {
  clientId?: string;
  /** Null registers a public client (token_endpoint_auth_method "none"). */
  clientSecret?: string | null;
  /** May be empty at first; see `setRedirectUris`. */
  redirectUris: readonly string[];
  /** Login name → claims (without `sub`, which is the login name). */
  accounts: Record<string, Record<string, unknown>>;
  /** Custom claims to release with the `profile` scope (e.g. the role claim). */
  extraProfileClaims?: string[];
  /**
   * false: the ID token carries every claim the scopes grant. true (oidc-provider's default): the ID token from
   * a code flow carries only `sub` and the protocol claims; the rest is only at the userinfo endpoint.
   */
  claimsOnlyAtUserinfo?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /**
   * Registers the client again with these redirect URIs: for a Meshscope whose port is known only after it
   * started with this issuer. The provider starts afresh (no sessions, new signing keys), so call it before
   * any sign-in.
   */
  setRedirectUris(uris: readonly string[]): void;
  /** false: every connection (also open keep-alive ones) is reset at once, as for a provider that is down. */
  setReachable(reachable: boolean): void;
  close(): Promise<void>;
}

export async function startTestOidcProvider(opts: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? "meshscope-test";
  const clientSecret = opts.clientSecret === undefined ? "test-client-secret" : opts.clientSecret;
  const sockets = new Set<Socket>();
  let reachable = true;
  const server = createServer();
  server.on("connection", (socket) => {
    if (!reachable) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const serve = (redirectUris: readonly string[]) => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          ...(clientSecret === null
            ? { token_endpoint_auth_method: "none" }
            : { client_secret: clientSecret, token_endpoint_auth_method: "client_secret_basic" }),
          redirect_uris: [...redirectUris],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      async findAccount(_ctx, id): Promise<ProviderAccount | undefined> {
        const claims = opts.accounts[id];
        if (claims === undefined) return undefined;
        return { accountId: id, claims: async () => ({ ...claims, sub: id }) };
      },
      claims: {
        openid: ["sub"],
        profile: ["preferred_username", "name", ...(opts.extraProfileClaims ?? [])],
        email: ["email", "email_verified"],
      },
      conformIdTokenClaims: opts.claimsOnlyAtUserinfo ?? false,
      // Every client must use PKCE, also the confidential one (oidc-provider's default requires it of public ones).
      pkce: { required: () => true },
      cookies: { keys: ["meshscope-test-provider-cookie-key"] },
      // Explicit lifetimes (seconds), which also keeps oidc-provider from printing a notice per token kind.
      ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
      features: { devInteractions: { enabled: true } },
    });
    server.removeAllListeners("request");
    server.on("request", provider.callback());
  };
  serve(opts.redirectUris);

  return {
    issuer,
    clientId,
    clientSecret,
    setRedirectUris: serve,
    setReachable(value) {
      reachable = value;
      if (!value) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Cookies as a browser keeps them for one host: by name and path, sent where the path matches (ports ignored). */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expired = value === "";
      for (const attribute of attributes) {
        const [key = "", val = ""] = attribute.split("=", 2).map((s) => s.trim());
        if (key.toLowerCase() === "path") path = val;
        if (key.toLowerCase() === "max-age" && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  get(name: string): string | undefined {
    return [...this.cookies.values()].find((c) => c.name === name)?.value;
  }

  delete(name: string): void {
    for (const [key, c] of this.cookies) if (c.name === name) this.cookies.delete(key);
  }

  /** A request that does not follow redirects, sending and storing cookies. */
  async fetch(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "text/html,application/json", ...init.headers };
    const cookie = this.header(url);
    if (cookie !== "") headers.cookie = cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    } else if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    }
    const response = await fetch(url, { method: init.method ?? "GET", headers, body, redirect: "manual" });
    this.store(response);
    return response;
  }
}

export interface ProviderSignIn {
  /** The provider's redirect back to Meshscope (`<callback>?code=…&state=…&iss=…`), not yet followed. */
  callbackUrl: string;
}

/**
 * From Meshscope's `/auth/oidc/login` response (a 302 to the provider) through the provider's login page (as
 * `account`, or pressing "abort" when `account` is null) and consent page, up to the provider's redirect back to
 * `callbackPrefix`. The caller then requests `callbackUrl` with the same jar, like the browser would.
 */
export async function signInThroughProvider(
  jar: CookieJar,
  loginResponse: Response,
  account: string | null,
  callbackPrefix: string,
): Promise<ProviderSignIn> {
  let response = loginResponse;
  let url = "";
  for (let step = 0; step < 20; step += 1) {
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      const next = new URL(location, url || undefined).href;
      if (next.startsWith(callbackPrefix)) return { callbackUrl: next };
      url = next;
      response = await jar.fetch(url);
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || !/\/interaction\/[^/]+$/.test(new URL(url).pathname)) {
      throw new Error(`unexpected provider answer at ${url}: ${response.status} ${page.slice(0, 300)}`);
    }
    const prompt = /name="prompt" value="(login|consent)"/.exec(page)?.[1];
    if (prompt === "login" && account === null) {
      response = await jar.fetch(`${url}/abort`);
    } else if (prompt === "login") {
      response = await jar.fetch(url, {
        method: "POST",
        form: { prompt: "login", login: account ?? "", password: "x" },
      });
    } else if (prompt === "consent") {
      response = await jar.fetch(url, { method: "POST", form: { prompt: "consent" } });
    } else {
      throw new Error(`no login or consent form at ${url}: ${page.slice(0, 300)}`);
    }
  }
  throw new Error("the sign-in did not come back to Meshscope within 20 redirects");
}
