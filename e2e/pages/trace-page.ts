import type { Locator, Page } from '@playwright/test';

/** `/traces/{traceId}`: summary, the span tree grid and the selected span's details. */
export class TracePage {
  readonly heading: Locator;
  /** The tree grid of spans on the time axis. */
  readonly timeline: Locator;
  /** The rows the tree grid has rendered (it renders only those in view). */
  readonly renderedRows: Locator;
  /** Trace-wide notes: missing parents, clock skew, … */
  readonly notes: Locator;
  readonly errorOrigin: Locator;
  readonly details: Locator;
  readonly detailsHeading: Locator;
  readonly attributes: Locator;
  /** The selected span's events (exceptions among them), one list item each. */
  readonly events: Locator;
  /** The selected span's log records, one list item each. */
  readonly spanLogs: Locator;
  /** The section for logs that belong to no span of the trace (or says the store keeps none). */
  readonly traceLogs: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.timeline = page.getByRole('treegrid', { name: 'Spans on a shared time axis' });
    this.renderedRows = this.timeline.getByRole('rowgroup').nth(1).getByRole('row');
    this.notes = page.getByRole('list', { name: 'Notes on this trace' });
    this.errorOrigin = page.getByTestId('error-origin');
    this.details = page.getByRole('region', { name: 'Span details' });
    this.detailsHeading = this.details.getByRole('heading', { level: 2 });
    this.attributes = this.details.getByRole('table', { name: 'Attributes', exact: true });
    this.events = this.details.getByRole('list', { name: 'Events', exact: true }).getByRole('listitem');
    this.spanLogs = this.details.getByRole('list', { name: 'Logs of this span' }).getByRole('listitem');
    this.traceLogs = page.getByRole('region', { name: 'Trace logs' });
  }

  async goto(traceId: string, spanId?: string): Promise<void> {
    await this.page.goto(spanId === undefined ? `/traces/${traceId}` : `/traces/${traceId}?span=${spanId}`);
  }

  /** The timeline row of a span, by its accessible name (service, operation, markers, timing). */
  row(name: string | RegExp): Locator {
    return this.timeline.getByRole('row', { name });
  }

  /** The value cell of one attribute of the selected span. */
  attribute(key: string): Locator {
    return this.attributes.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: key, exact: true }) }).getByRole('cell');
  }
}
