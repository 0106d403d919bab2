import type { Locator, Page } from '@playwright/test';

export type ScenarioId = 'contention' | 'fanout' | 'flaky' | 'timeout';

const BUTTON_NAMES: Record<ScenarioId, string> = {
  contention: 'Run contention',
  fanout: 'Run fan-out',
  flaky: 'Run flaky',
  timeout: 'Run timeout',
};

/** The home page's Scenarios card: one group per scenario and the load control. */
export class ScenariosPanel {
  readonly failureRateInput: Locator;
  readonly deadlineInput: Locator;
  readonly delayInput: Locator;
  readonly loadScenario: Locator;
  readonly loadCount: Locator;
  readonly fireLoadButton: Locator;
  readonly loadResult: Locator;
  /** The load run's slowest requests, slowest first, each with a trace link. */
  readonly slowestItems: Locator;

  constructor(readonly page: Page) {
    this.failureRateInput = page.getByLabel('Failure rate (0–1)');
    this.deadlineInput = page.getByLabel('Deadline (ms)');
    this.delayInput = page.getByLabel('Delay (ms)');
    this.loadScenario = page.getByLabel('Scenario', { exact: true });
    this.loadCount = page.getByLabel('Requests (N)');
    this.fireLoadButton = page.getByRole('button', { name: 'Fire load', exact: true });
    this.loadResult = page.getByTestId('scenario-load-result');
    this.slowestItems = this.loadResult.getByTestId('slowest-item');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  button(id: ScenarioId): Locator {
    return this.page.getByRole('button', { name: BUTTON_NAMES[id], exact: true });
  }

  /** The result line of one scenario group (outcome, duration, trace link). */
  result(id: ScenarioId): Locator {
    return this.page.getByTestId(`scenario-${id}-result`);
  }

  async run(id: ScenarioId): Promise<void> {
    await this.button(id).click();
  }

  /** The trace id of the link inside `scope` (a result line or a slowest item). */
  async traceIdIn(scope: Locator): Promise<string> {
    const text = (await scope.getByTestId('scenario-trace-id').textContent()) ?? '';
    const match = /[0-9a-f]{32}/.exec(text);
    if (!match) throw new Error(`no trace id in ${JSON.stringify(text)}`);
    return match[0];
  }

  async fireLoad(id: ScenarioId, count: number): Promise<void> {
    await this.loadScenario.selectOption(id);
    await this.loadCount.fill(String(count));
    await this.fireLoadButton.click();
  }
}
