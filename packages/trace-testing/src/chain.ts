import type { SpanKind, Trace, TraceSpan } from '@tracelens/jaeger-query/model';
import { childrenOf, describeTrace } from './describe.js';
import { TraceAssertionError } from './errors.js';

/** One link of an expected parent chain. */
export interface ChainStep {
  service: string;
  /** The span name, or a pattern for generated names such as `GET /data/:name`. */
  name: string | RegExp;
  /** span.kind, when it matters (server, client, internal, ...). */
  kind?: SpanKind;
  /** Allow spans between this step and the previous one (default: must be a direct child). */
  descendant?: boolean;
}

function matches(span: TraceSpan, step: ChainStep): boolean {
  if (span.service !== step.service) return false;
  if (step.kind !== undefined && span.kind !== step.kind) return false;
  return typeof step.name === 'string' ? span.name === step.name : step.name.test(span.name);
}

function describeStep(step: ChainStep): string {
  return `${step.service}: ${String(step.name)}${step.kind ? ` [${step.kind}]` : ''}`;
}

function descendants(trace: Trace, span: TraceSpan): TraceSpan[] {
  const out: TraceSpan[] = [];
  const queue = childrenOf(trace, span);
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift() as TraceSpan;
    if (seen.has(next.spanId)) continue;
    seen.add(next.spanId);
    out.push(next);
    queue.push(...childrenOf(trace, next));
  }
  return out;
}

interface ChainSearch {
  found?: TraceSpan[];
  /** The longest prefix of the chain that exists. */
  best: TraceSpan[];
}

function searchChain(trace: Trace, steps: readonly ChainStep[]): ChainSearch {
  let best: TraceSpan[] = [];
  const search = (candidates: readonly TraceSpan[], index: number, path: TraceSpan[]): TraceSpan[] | undefined => {
    const step = steps[index];
    if (!step) return path;
    for (const span of candidates.filter((s) => matches(s, step))) {
      const next = [...path, span];
      if (next.length > best.length) best = next;
      const nextStep = steps[index + 1];
      const pool = nextStep?.descendant ? descendants(trace, span) : childrenOf(trace, span);
      const found = search(pool, index + 1, next);
      if (found) return found;
    }
    return undefined;
  };
  const found = search(trace.spans, 0, []);
  return found ? { found, best } : { best };
}

function missingStep(steps: readonly ChainStep[], best: readonly TraceSpan[]): string {
  const missing = steps[best.length] as ChainStep;
  if (best.length === 0) return `no ${describeStep(missing)} in the trace`;
  return `no ${describeStep(missing)} ${missing.descendant ? 'below' : 'as a child of'} step ${best.length}`;
}

/**
 * Finds an unbroken chain of spans where each step is a child (or, with
 * `descendant`, any descendant) of the one before, and returns the spans in
 * chain order. The first step may be anywhere in the trace. On failure the
 * error says how far the chain got and prints the whole trace.
 */
export function findChain(trace: Trace, steps: readonly ChainStep[]): TraceSpan[] {
  const { found, best } = searchChain(trace, steps);
  if (found) return found;
  const reached = best.map((s, i) => `  ${i + 1}. ${s.service}: ${s.name} (${s.spanId})`).join('\n');
  throw new TraceAssertionError(
    `expected the span chain\n${steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}`).join('\n')}\n` +
      (best.length > 0 ? `found steps 1-${best.length}:\n${reached}\n` : 'found no span matching step 1\n') +
      `but ${missingStep(steps, best)}.\n` +
      describeTrace(trace),
  );
}

/**
 * Until-condition for waitForTrace: the whole chain is present. Spans of one
 * trace arrive in separate exports, so waiting for services alone can stop
 * before the last link of the chain has landed.
 */
export function hasChain(steps: readonly ChainStep[]) {
  return (trace: Trace): true | string => {
    const { found, best } = searchChain(trace, steps);
    return found ? true : `the span chain is incomplete: ${missingStep(steps, best)}`;
  };
}

/** The one span matching service and name; fails, printing the trace, when there is none or several. */
export function findSpan(trace: Trace, service: string, name: string | RegExp): TraceSpan {
  const found = trace.spans.filter((s) => matches(s, { service, name }));
  if (found.length !== 1) {
    throw new TraceAssertionError(
      `expected exactly one span ${service}: ${String(name)}, found ${found.length}\n${describeTrace(trace)}`,
    );
  }
  return found[0] as TraceSpan;
}
