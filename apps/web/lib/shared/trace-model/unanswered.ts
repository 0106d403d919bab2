import { ATTR_ERROR_TYPE, ATTR_EXCEPTION_MESSAGE, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type { SpanNode, TraceTree } from './tree';
import type { AttributeValue, TraceSpan } from '@tracelens/jaeger-query/model';

/**
 * A call that failed with no span of the server it called under it: the
 * server either never got the request or has not (yet) sent its spans.
 */
export interface UnansweredCall {
  readonly key: string;
  readonly service: string;
  readonly name: string;
  /** Why it failed, in words ("connection refused"), from the span or its caller on the same service. */
  readonly reason: string;
  /**
   * The failure happened before any byte reached the server (connection
   * refused, host not found): no span of that server can come.
   */
  readonly neverReceived: boolean;
}

/**
 * `error.type` values (Node's socket error codes) that mean the request
 * never reached a server, in words. A timeout or a reset is not among them:
 * the server may have received the request and still send its spans.
 */
const NEVER_RECEIVED: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS did not answer)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Other failures worth putting in words; anything else is shown as recorded. */
const OTHER_REASONS: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer in time',
  timeout: 'no answer in time',
  invalid_response: 'an answer that was not JSON',
};

const attribute = (span: TraceSpan, key: string): AttributeValue | undefined => span.attributes.find((a) => a.key === key)?.value;

/** The first exception message recorded on the span, if any. */
function exceptionMessage(span: TraceSpan): string | undefined {
  for (const event of span.events) {
    if (event.name !== 'exception') continue;
    const message = event.attributes.find((a) => a.key === ATTR_EXCEPTION_MESSAGE)?.value;
    if (typeof message === 'string' && message !== '') return message;
  }
  return undefined;
}

/**
 * Why `node`'s call failed. The client span itself often knows only "fetch
 * failed" (@vercel/otel) or nothing (the browser's fetch instrumentation
 * ends a failed fetch with status 0), while the span that made the call, on
 * the same service, recorded the cause: the frontend-api's
 * `process-data-logic` has `error.type=ECONNREFUSED`, the browser's click
 * span the exception. So the span and its same-service ancestors are asked,
 * nearest first: a known `error.type` wins, then an exception message.
 */
function failureOf(node: SpanNode): { reason: string; neverReceived: boolean } {
  const chain: SpanNode[] = [];
  for (let at: SpanNode | null = node; at !== null && at.span.service === node.span.service; at = at.parent) chain.push(at);
  for (const { span } of chain) {
    const type = attribute(span, ATTR_ERROR_TYPE);
    if (typeof type !== 'string') continue;
    if (type in NEVER_RECEIVED) return { reason: NEVER_RECEIVED[type] as string, neverReceived: true };
    if (type in OTHER_REASONS) return { reason: OTHER_REASONS[type] as string, neverReceived: false };
  }
  for (const { span } of chain) {
    const message = exceptionMessage(span);
    if (message !== undefined) return { reason: message, neverReceived: false };
  }
  const type = chain.map(({ span }) => attribute(span, ATTR_ERROR_TYPE)).find((value) => value !== undefined);
  return { reason: type === undefined ? 'no answer' : String(type), neverReceived: false };
}

/**
 * Client spans that failed (ERROR, or the browser's status 0 for a fetch
 * that got no answer) and have no child: in this app every answered call has
 * the server's span under it. In display order.
 */
export function unansweredCalls(tree: TraceTree): UnansweredCall[] {
  const calls: UnansweredCall[] = [];
  for (const node of tree.nodes) {
    const { span } = node;
    if (span.kind !== 'client' || node.children.length > 0) continue;
    if (!span.error && attribute(span, ATTR_HTTP_RESPONSE_STATUS_CODE) !== 0) continue;
    calls.push({ key: node.key, service: span.service, name: span.name, ...failureOf(node) });
  }
  return calls;
}
