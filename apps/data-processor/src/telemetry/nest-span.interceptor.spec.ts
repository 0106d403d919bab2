import { BadRequestException, type CallHandler } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { firstValueFrom, lastValueFrom, of, throwError, type Observable } from 'rxjs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestTracing } from '../../test/test-tracing.js';
import { spanNamed, waitForSpans } from '@tracelens/trace-testing/in-memory';
import {
  ATTR_COMPONENT,
  ATTR_NESTJS_CALLBACK,
  ATTR_NESTJS_CONTROLLER,
  ATTR_NESTJS_TYPE,
  ATTR_NESTJS_VERSION,
} from '../attributes.js';
import { NestSpanInterceptor } from './nest-span.interceptor.js';

class ThingsController {
  find(): string {
    return 'thing';
  }
}

const request = { method: 'GET', route: { path: '/things/:id' } };

function httpContext(): ExecutionContextHost {
  // The handler is Nest's metadata key for the route, never called through this reference.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  return new ExecutionContextHost([request, {}, () => {}], ThingsController, ThingsController.prototype.find);
}

function handler(result: () => Observable<unknown>): CallHandler & { activeSpanName: string | undefined } {
  const next = {
    activeSpanName: undefined as string | undefined,
    handle: () => {
      // What the handler would see as its parent.
      const active = trace.getActiveSpan();
      next.activeSpanName = active && 'name' in active ? String(active.name) : undefined;
      return result();
    },
  };
  return next;
}

describe('NestSpanInterceptor', () => {
  const testTracing = startTestTracing();
  const interceptor = new NestSpanInterceptor();
  const tracer = trace.getTracer('test');

  beforeEach(() => testTracing.reset());
  afterAll(() => testTracing.stop());

  it('names the HTTP server span after the route through the RPC metadata', async () => {
    const server = tracer.startSpan('GET');
    const rpcMetadata = { type: RPCType.HTTP as const, span: server };
    const serverContext = setRPCMetadata(trace.setSpan(ROOT_CONTEXT, server), rpcMetadata);

    await context.with(serverContext, () => lastValueFrom(interceptor.intercept(httpContext(), handler(() => of('ok')))));
    server.end();

    expect(getRPCMetadata(serverContext)?.route).toBe('/things/:id');
    const spans = await waitForSpans(testTracing, 'two spans', (seen) => seen.length === 2);
    const serverSpan = spanNamed(spans, 'GET /things/:id');
    expect(serverSpan.attributes[ATTR_HTTP_ROUTE]).toBe('/things/:id');
    expect(spanNamed(spans, 'ThingsController.find').parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
  });

  it('wraps the handler in a request_context span that is active while it runs', async () => {
    const next = handler(() => of('thing'));
    await expect(firstValueFrom(interceptor.intercept(httpContext(), next))).resolves.toBe('thing');

    expect(next.activeSpanName).toBe('ThingsController.find');
    const spans = await waitForSpans(testTracing, 'the controller span', (seen) => seen.length === 1);
    expect(spanNamed(spans, 'ThingsController.find').attributes).toEqual({
      [ATTR_COMPONENT]: '@nestjs/core',
      [ATTR_NESTJS_VERSION]: expect.stringMatching(/^12\./),
      [ATTR_NESTJS_TYPE]: 'request_context',
      [ATTR_NESTJS_CONTROLLER]: 'ThingsController',
      [ATTR_NESTJS_CALLBACK]: 'find',
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_HTTP_ROUTE]: '/things/:id',
    });
  });

  it('marks server faults as ERROR', async () => {
    const failing = interceptor.intercept(httpContext(), handler(() => throwError(() => new Error('db down'))));
    await expect(lastValueFrom(failing)).rejects.toThrow('db down');

    const spans = await waitForSpans(testTracing, 'the controller span', (seen) => seen.length === 1);
    const span = spanNamed(spans, 'ThingsController.find');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'db down' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('records client errors (4xx) without the ERROR status', async () => {
    const rejected = interceptor.intercept(httpContext(), handler(() => throwError(() => new BadRequestException('no'))));
    await expect(lastValueFrom(rejected)).rejects.toBeInstanceOf(BadRequestException);

    const spans = await waitForSpans(testTracing, 'the controller span', (seen) => seen.length === 1);
    const span = spanNamed(spans, 'ThingsController.find');
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('leaves non-HTTP contexts alone', async () => {
    const rpc = httpContext();
    rpc.setType('rpc');
    await lastValueFrom(interceptor.intercept(rpc, handler(() => of('ok'))));

    // A span ended afterwards proves the exporter is flushed up to here.
    tracer.startSpan('marker').end();
    const spans = await waitForSpans(testTracing, 'the marker span', (seen) => seen.some((s) => s.name === 'marker'));
    expect(spans.map((span) => span.name)).toEqual(['marker']);
  });
});
