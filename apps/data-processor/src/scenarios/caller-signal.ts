import type { ServerResponse } from 'node:http';
import { createParamDecorator, HttpException, type ExecutionContext } from '@nestjs/common';
import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { ATTR_CALLER_GONE, EVENT_CALLER_GONE } from '../attributes.js';

export const CALLER_GONE_MESSAGE = 'caller went away before the answer';

/**
 * nginx's "499 Client Closed Request". The caller never sees it (it is gone);
 * it names the outcome in Nest's handling and on the controller span, and,
 * being below 500, keeps the controller span's status unset: the work span
 * that was cut off carries the ERROR.
 */
export const CALLER_GONE_STATUS = 499;

/** The reason of a CallerSignal's abort. */
export class CallerGoneException extends HttpException {
  constructor() {
    super(CALLER_GONE_MESSAGE, CALLER_GONE_STATUS);
  }
}

/**
 * Aborts, with a CallerGoneException, when the connection closes before the
 * response has been written: the caller timed out or gave up. A response
 * that finished also closes, and does not abort.
 */
export function callerSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  const abortIfUnanswered = (): void => {
    if (!response.writableFinished) controller.abort(new CallerGoneException());
  };
  if (response.destroyed || response.socket?.destroyed === true) abortIfUnanswered();
  else response.once('close', abortIfUnanswered);
  return controller.signal;
}

/** `@CallerSignal() signal: AbortSignal`: the callerSignal of the current HTTP request. */
export const CallerSignal = createParamDecorator((_data: unknown, context: ExecutionContext): AbortSignal =>
  callerSignal(context.switchToHttp().getResponse<ServerResponse>()),
);

/**
 * Marks the span whose work was cut off because the caller went away: an
 * event (with `attributes`, e.g. how long it had run), `caller.gone=true`
 * and ERROR, so the backend side of a caller's timeout is visible in the trace.
 */
export function markCallerGone(span: Span, attributes?: Attributes): void {
  span.addEvent(EVENT_CALLER_GONE, attributes);
  span.setAttribute(ATTR_CALLER_GONE, true);
  span.setStatus({ code: SpanStatusCode.ERROR, message: CALLER_GONE_MESSAGE });
}
