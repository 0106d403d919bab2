export { findChain, findSpan, hasChain, type ChainStep } from './chain.js';
export { childrenOf, describeTrace } from './describe.js';
export { TraceAssertionError } from './errors.js';
export { hasServices, waitForTrace, type WaitOptions } from './wait.js';
