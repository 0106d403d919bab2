import type { Locator, Page } from '@playwright/test';

/** `/traces`: the search form, the duration plot and the results. */
export class TraceSearchPage {
  readonly service: Locator;
  readonly operation: Locator;
  readonly tags: Locator;
  readonly lookback: Locator;
  readonly findButton: Locator;
  readonly resultsHeading: Locator;
  /** One article per trace found, newest first. */
  readonly results: Locator;
  /** The duration-over-time plot; each point is a link to its trace. */
  readonly plot: Locator;

  constructor(readonly page: Page) {
    this.service = page.getByLabel('Service', { exact: true });
    this.operation = page.getByLabel('Operation', { exact: true });
    this.tags = page.getByLabel('Tags', { exact: true });
    this.lookback = page.getByLabel('Lookback', { exact: true });
    this.findButton = page.getByRole('button', { name: 'Find traces' });
    this.resultsHeading = page.getByRole('heading', { level: 2 });
    this.results = page.getByRole('list', { name: 'Traces found' }).getByRole('article');
    this.plot = page.getByRole('group', { name: 'Trace duration over start time' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/traces');
  }

  async search(options: { service: string; tags?: string }): Promise<void> {
    await this.service.selectOption(options.service);
    await this.tags.fill(options.tags ?? '');
    await this.findButton.click();
  }

  /** The result for one trace (its full id is on the card). */
  result(traceId: string): Locator {
    return this.results.filter({ hasText: traceId });
  }
}
