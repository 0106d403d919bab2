export { startCollector, DEFAULTS, type CollectorOptions, type RunningCollector } from './collector.js';
export { jsonLog, quietLog, type Log } from './log.js';
export { DatabaseInUseError } from './store/owner-lock.js';
