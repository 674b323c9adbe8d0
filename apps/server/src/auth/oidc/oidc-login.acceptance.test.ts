/**
 * The whole OIDC path on the real server: `startMeshscope` with `--auth oidc` pointing at a real OpenID provider
 * (oidc-provider), a person signing in through the provider's pages, and the resulting session used on the API.
 */
import { AuthMeResponse, CSRF_HEADER, ErrorEnvelope, RevisionsResponse, WizardResponse } from "@meshscope/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WIZARD_BODIES } from "../../mesh/mesh-api.testing.js";
import {
  CookieJar,
  signInThroughProvider,
  startTestOidcProvider,
  type TestOidcProvider,
} from "../../test-support/oidc-provider.js";
import { startTestServer, type TestServer } from "../../test-support/test-server.js";
import { SESSION_COOKIE } from "../session-store.js";

describe("meshscope --auth oidc against a real OpenID provider (oidc-provider)", () => {
  let provider: TestOidcProvider;
  let server: TestServer;
  beforeAll(async () => {
    // The provider's issuer is needed to start Meshscope, and Meshscope's port for the provider's redirect URI.
    provider = await startTestOidcProvider({
      clientSecret: null,
      redirectUris: [],
      accounts: {
        vera: { preferred_username: "vera", roles: ["viewer"] },
        eddie: { preferred_username: "eddie", roles: ["viewer", "editor"] },
        nora: { preferred_username: "nora", roles: ["marketing"] },
      },
      extraProfileClaims: ["roles"],
      claimsOnlyAtUserinfo: true,
    });
    server = await startTestServer({}, {}, [
      ...["--auth", "oidc", "--oidc-issuer", provider.issuer, "--oidc-client-id", provider.clientId],
      ...["--oidc-role-claim", "roles", "--oidc-default-role", "none"],
    ]);
    provider.setRedirectUris([`${server.consoleUrl}/auth/oidc/callback`]);
  });
  afterAll(async () => {
    await server?.stop();
    await provider?.close();
  });

  async function signIn(account: string, returnTo = "/mesh-config"): Promise<{ jar: CookieJar; response: Response }> {
    const jar = new CookieJar();
    const login = await jar.fetch(`${server.consoleUrl}/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(login.status).toBe(302);
    const { callbackUrl } = await signInThroughProvider(jar, login, account, `${server.consoleUrl}/auth/oidc/callback`);
    return { jar, response: await jar.fetch(callbackUrl) };
  }

  async function me(jar: CookieJar): Promise<AuthMeResponse> {
    const response = await jar.fetch(`${server.consoleUrl}/api/auth/me`);
    expect(response.status).toBe(200);
    return AuthMeResponse.parse(await response.json());
  }

  const applyWizard = (jar: CookieJar, csrfToken: string) =>
    jar.fetch(`${server.consoleUrl}/api/mesh/wizards/mtls`, {
      method: "POST",
      json: WIZARD_BODIES.mtls,
      headers: { [CSRF_HEADER]: csrfToken },
    });

  it("offers OIDC sign-in to a caller without a session and refuses it the API", async () => {
    const anonymous = new CookieJar();
    expect(await me(anonymous)).toMatchObject({ mode: "oidc", user: null, loginMethods: ["oidc"] });
    expect((await anonymous.fetch(`${server.consoleUrl}/api/services`)).status).toBe(401);
  });

  it("signs a viewer in, shows them at /api/auth/me, and refuses them a wizard apply (403)", async () => {
    const { jar, response } = await signIn("vera", "/graph?x=1");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/graph?x=1");
    expect(jar.get(SESSION_COOKIE)).toBeDefined();
    const who = await me(jar);
    expect(who.user).toEqual({ name: "vera", role: "viewer", via: "session" });
    expect((await jar.fetch(`${server.consoleUrl}/api/services`)).status).toBe(200);
    const applied = await applyWizard(jar, who.csrfToken ?? "");
    expect(applied.status).toBe(403);
    // Refused for the role, not for a missing CSRF token.
    expect(ErrorEnvelope.parse(await applied.json()).error.code).toBe("forbidden");
  });

  it("signs an editor in and lets them apply a wizard, recorded under their name", async () => {
    const { jar, response } = await signIn("eddie");
    expect(response.status).toBe(302);
    const who = await me(jar);
    expect(who.user).toEqual({ name: "eddie", role: "editor", via: "session" });
    const applied = await applyWizard(jar, who.csrfToken ?? "");
    expect(applied.status).toBe(200);
    expect(WizardResponse.parse(await applied.json()).applied).toBe(true);
    const revisions = RevisionsResponse.parse(
      await (await jar.fetch(`${server.consoleUrl}/api/mesh/revisions`)).json(),
    );
    expect(revisions.revisions[0]).toMatchObject({ wizard: "mtls", author: "eddie" });
  });

  it("refuses an account without a Meshscope role (403) and opens no session", async () => {
    const { jar, response } = await signIn("nora");
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "forbidden", message: "your account has no Meshscope role (claim roles)" },
    });
    expect((await me(jar)).user).toBeNull();
  });
});
