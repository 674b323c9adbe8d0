import { expect, type Locator, type Page } from "@playwright/test";

/** `/login` (features/auth): the access-token form, single sign-on where offered, and the refusal message. */
export class LoginPage {
  readonly root: Locator;
  readonly tokenInput: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly sso: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("page-login");
    // By its label, as a person finds it (and as a password manager does).
    this.tokenInput = this.root.getByLabel("Access token");
    this.submit = this.root.getByRole("button", { name: "Sign in" });
    this.error = this.root.getByTestId("login-error");
    this.sso = this.root.getByTestId("login-sso");
  }

  async goto(returnTo?: string): Promise<void> {
    await this.page.goto(returnTo === undefined ? "/login" : `/login?${new URLSearchParams({ returnTo })}`);
    await this.expectShown();
  }

  async expectShown(timeout = 15_000): Promise<void> {
    await expect(this.root).toBeVisible({ timeout });
    await expect(this.tokenInput).toBeVisible();
  }

  /** The `returnTo` the login page was given, or null. */
  returnTo(): string | null {
    return new URL(this.page.url()).searchParams.get("returnTo");
  }

  /** Types the token and submits; does not wait for the outcome (a refusal and a success look different). */
  async submitToken(token: string): Promise<void> {
    await this.tokenInput.fill(token);
    await this.submit.click();
  }

  /** Signs in and waits until the console shows the signed-in user. */
  async signIn(token: string, expectedName: string): Promise<void> {
    await this.submitToken(token);
    await expect(new UserMenu(this.page).name).toHaveText(expectedName, { timeout: 15_000 });
  }
}

/** The signed-in person at the foot of the sidebar: name, role and "Sign out". */
export class UserMenu {
  readonly root: Locator;
  readonly name: Locator;
  readonly role: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("user-menu");
    this.name = this.root.getByTestId("user-name");
    this.role = this.root.getByTestId("user-role");
    this.signOutButton = this.root.getByRole("button", { name: "Sign out" });
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
    await expect(this.page).toHaveURL(/\/login(\?|$)/, { timeout: 15_000 });
  }
}
