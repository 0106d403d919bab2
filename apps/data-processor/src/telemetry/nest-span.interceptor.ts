import { createRequire } from 'node:module';
import {
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { finalize, tap, type Observable } from 'rxjs';
import {
  ATTR_COMPONENT,
  ATTR_NESTJS_CALLBACK,
  ATTR_NESTJS_CONTROLLER,
  ATTR_NESTJS_TYPE,
  ATTR_NESTJS_VERSION,
  COMPONENT_VALUE_NESTJS,
  NESTJS_TYPE_VALUE_REQUEST_CONTEXT,
} from '../attributes.js';
import { SERVICE_VERSION, TRACER_NAME } from './service-info.js';

const NEST_VERSION = (createRequire(import.meta.url)('@nestjs/core/package.json') as { version: string }).version;

/** The part of Express's request this interceptor reads. */
interface RoutedRequest {
  readonly method?: string;
  readonly route?: { readonly path?: unknown };
}

/**
 * Does, for Nest 12, what @opentelemetry/instrumentation-nestjs-core did for
 * Nest < 12 (it patches CommonJS files that an ESM-only Nest no longer has,
 * and silently does nothing):
 *
 * 1. Names the HTTP server span after the route: sets `http.route` (e.g.
 *    `/data/:name`) on the RPC metadata the HTTP instrumentation keeps in the
 *    context, which makes it set the attribute and rename the span to
 *    `GET /data/:name` when the response finishes (its metrics get the route
 *    too). Both are also set right away, for requests that never finish.
 * 2. Wraps the controller call in a span named and attributed like that
 *    instrumentation's `request_context` span: `DataController.process`, with
 *    `nestjs.type`, `nestjs.controller`, `nestjs.callback`, `http.route`.
 *    Unlike it, it does not add a separate `handler` span: an interceptor
 *    cannot tell pipes from the handler, so that span would only duplicate
 *    this one. Stable `http.request.method` replaces the old `http.method`.
 *
 * An interceptor, not a loader hook: it works the same under `node --import`,
 * in tests, and without the import-in-the-middle loader.
 */
@Injectable()
export class NestSpanInterceptor implements NestInterceptor {
  private readonly tracer = trace.getTracer(TRACER_NAME, SERVICE_VERSION);

  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() !== 'http') return next.handle();

    const request = executionContext.switchToHttp().getRequest<RoutedRequest>();
    const method = request.method ?? 'GET';
    const route = typeof request.route?.path === 'string' ? request.route.path : undefined;
    if (route !== undefined) nameServerSpan(method, route);

    const controller = executionContext.getClass().name;
    const callback = executionContext.getHandler().name;
    const span = this.tracer.startSpan(callback ? `${controller}.${callback}` : controller, {
      attributes: {
        [ATTR_COMPONENT]: COMPONENT_VALUE_NESTJS,
        [ATTR_NESTJS_VERSION]: NEST_VERSION,
        [ATTR_NESTJS_TYPE]: NESTJS_TYPE_VALUE_REQUEST_CONTEXT,
        [ATTR_NESTJS_CONTROLLER]: controller,
        [ATTR_NESTJS_CALLBACK]: callback,
        [ATTR_HTTP_REQUEST_METHOD]: method,
        ...(route === undefined ? {} : { [ATTR_HTTP_ROUTE]: route }),
      },
    });

    // The span shape of STYLE.md, for an Observable: Nest binds the async
    // context when `handle()` is called, so calling it inside `context.with`
    // makes pipes, the handler and the spans they start children of `span`.
    return context.with(trace.setSpan(context.active(), span), () => next.handle()).pipe(
      tap({ error: (error: unknown) => recordError(span, error) }),
      // Also runs when the client goes away and Nest unsubscribes.
      finalize(() => span.end()),
    );
  }
}

function nameServerSpan(method: string, route: string): void {
  const rpcMetadata = getRPCMetadata(context.active());
  if (rpcMetadata?.type !== RPCType.HTTP) return;
  rpcMetadata.route = route;
  rpcMetadata.span.setAttribute(ATTR_HTTP_ROUTE, route);
  rpcMetadata.span.updateName(`${method} ${route}`);
}

/**
 * Always records the exception; sets ERROR only for server faults. A 4xx (a
 * name the pipe rejects) is the client's error, and semantic conventions keep
 * such spans' status unset, as the HTTP server span's is.
 */
function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  const status = error instanceof HttpException ? error.getStatus() : 500;
  if (status >= 500) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
}
