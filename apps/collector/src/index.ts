export { startCollector, DEFAULTS, type CollectorOptions, type RunningCollector } from './collector.js';
export type { Log } from './log.js';
