export { JaegerQueryClient, type JaegerSpan, type JaegerTag, type JaegerTrace, type TraceSearch } from './jaeger-client.js';
export { toTraceView, describeTrace, services, childrenOf, type SpanView, type TraceView } from './trace-view.js';
export { findChain, findSpan, hasChain, type ChainStep } from './chain.js';
export { waitForTrace, hasServices, type WaitOptions } from './wait.js';
export { TraceAssertionError } from './errors.js';
