import type { Locator, Page } from "@playwright/test";

export type CountedHealth = "healthy" | "degraded" | "failure" | "idle";

/** `/overview`: namespace cards and the top failing edges. */
export class OverviewPage {
  readonly cards: Locator;
  readonly failingEdges: Locator;
  readonly noFailingEdges: Locator;

  constructor(readonly page: Page) {
    this.cards = page.getByTestId("namespace-card");
    this.failingEdges = page.getByTestId("failing-edge");
    this.noFailingEdges = page.getByTestId("failing-edges-none");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/overview${query}`);
  }

  card(namespace: string): Locator {
    return this.page.locator(`[data-testid="namespace-card"][data-namespace="${namespace}"]`);
  }

  /** The number shown for one health state on a card. */
  healthCount(namespace: string, health: CountedHealth): Locator {
    return this.card(namespace).getByTestId(`health-count-${health}`).locator("dd");
  }

  sparkline(namespace: string): Locator {
    return this.card(namespace).getByTestId("namespace-sparkline");
  }
}
