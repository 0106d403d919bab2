import type { Locator, Page } from '@playwright/test';

/** The home page: process buttons, the name form, the result panel and the live waterfall under it. */
export class HomePage {
  readonly nameInput: Locator;
  readonly processButton: Locator;
  readonly traceId: Locator;
  readonly alert: Locator;
  /** The compact waterfall of the last click's trace. */
  readonly waterfall: Locator;
  /** "Still arriving: …" while it fills up, "Complete: …" once all three services are in. */
  readonly waterfallStatus: Locator;
  /** One per span, in parent (depth-first) order. */
  readonly waterfallRows: Locator;
  readonly fullTraceLink: Locator;

  constructor(readonly page: Page) {
    this.nameInput = page.getByLabel('Name');
    this.processButton = page.getByRole('button', { name: 'Process', exact: true });
    this.traceId = page.getByTestId('trace-id');
    // Scoped to main: Next's route announcer is a role=alert element too.
    this.alert = page.getByRole('main').getByRole('alert');
    this.waterfall = page.getByRole('region', { name: 'Trace waterfall' });
    this.waterfallStatus = this.waterfall.getByRole('status');
    this.waterfallRows = this.waterfall.getByRole('list', { name: 'Spans, in parent order' }).getByRole('listitem');
    this.fullTraceLink = this.waterfall.getByRole('link', { name: 'Open the full trace' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** Clicks one of the preset buttons ("Process alice", ...). */
  async processPreset(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Process ${name}`, exact: true }).click();
  }

  async processName(name: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.processButton.click();
  }

  /** The tab's `session.id` baggage (sessionStorage), null before the first traced click. */
  async sessionId(): Promise<string | null> {
    return this.page.evaluate(() => window.sessionStorage.getItem('tracelens.session.id'));
  }

  /** The profile's anonymous `user.id` baggage (localStorage), null before the first traced click. */
  async userId(): Promise<string | null> {
    return this.page.evaluate(() => window.localStorage.getItem('tracelens.user.id'));
  }

  /** The 32-hex-digit trace id shown once a result (or error) is on screen. */
  async shownTraceId(): Promise<string> {
    const text = (await this.traceId.first().textContent()) ?? '';
    const match = /[0-9a-f]{32}/.exec(text);
    if (!match) throw new Error(`no trace id in ${JSON.stringify(text)}`);
    return match[0];
  }
}
