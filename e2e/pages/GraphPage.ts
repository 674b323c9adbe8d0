import type { Locator, Page } from "@playwright/test";

/** What the graph page's automation hook reports for a node drawn on the canvas (features/graph/automation-hook.ts). */
export interface DrawnNode {
  id: string;
  label: string;
  kind: string;
  health: string;
  x: number;
  y: number;
  visible: boolean;
  found: boolean;
  selected: boolean;
  borderColor: string;
  parent: string | null;
}

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  health: string;
  protocol: string;
  visible: boolean;
  found: boolean;
  lineColor: string;
}

interface GraphHook {
  layoutDone(): boolean;
  nodes(): DrawnNode[];
  edges(): DrawnEdge[];
}

declare global {
  interface Window {
    __meshscopeGraph?: GraphHook;
  }
}

/**
 * `/graph`: toolbar, canvas and side panel. The canvas is a <canvas>: what it draws (labels, colours, where each
 * node is) is read through the page's automation hook, and nodes are clicked where they are drawn.
 */
export class GraphPage {
  readonly canvas: Locator;
  readonly sidePanel: Locator;
  readonly sideTitle: Locator;
  readonly versions: Locator;
  readonly graphType: Locator;
  readonly find: Locator;
  readonly findMessage: Locator;
  readonly hide: Locator;
  readonly legend: Locator;
  readonly legendOpen: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId("graph-canvas");
    this.sidePanel = page.getByTestId("graph-side-panel");
    this.sideTitle = this.sidePanel.getByTestId("side-title");
    this.versions = this.sidePanel.getByTestId("node-version");
    this.graphType = page.getByTestId("graph-type");
    this.find = page.getByTestId("graph-find");
    this.findMessage = page.getByTestId("graph-find-message");
    this.hide = page.getByTestId("graph-hide");
    this.legend = page.getByTestId("graph-legend");
    this.legendOpen = page.getByTestId("legend-open");
    this.status = page.getByTestId("graph-status");
  }

  async goto(query = ""): Promise<void> {
    await this.page.goto(`/graph${query}`);
    await this.waitForLayout();
  }

  /** Waits until a layout has been applied to the canvas and none is running. */
  async waitForLayout(): Promise<void> {
    await this.page.waitForFunction(() => window.__meshscopeGraph?.layoutDone() === true, null, { timeout: 20_000 });
  }

  drawnNodes(): Promise<DrawnNode[]> {
    return this.page.evaluate(() => window.__meshscopeGraph?.nodes() ?? []);
  }

  drawnEdges(): Promise<DrawnEdge[]> {
    return this.page.evaluate(() => window.__meshscopeGraph?.edges() ?? []);
  }

  async drawnNode(id: string): Promise<DrawnNode> {
    const node = (await this.drawnNodes()).find((n) => n.id === id);
    if (!node) throw new Error(`node ${id} is not drawn`);
    return node;
  }

  /** Clicks a node where it is drawn, as a person would. */
  async clickNode(id: string): Promise<void> {
    const node = await this.drawnNode(id);
    await this.page.mouse.click(node.x, node.y);
  }
}
