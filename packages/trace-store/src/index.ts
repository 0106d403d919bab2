export { startCollector, DEFAULTS, type CollectorOptions, type RunningCollector } from './collector.js';
export { jsonLog, quietLog, type Log } from './log.js';
export { DatabaseInUseError } from './store/owner-lock.js';
export { OldSchemaError } from './store/writer.js';
export type { StoreReader } from './store/reader.js';
export { convertDatabase, type ConvertResult } from './store/convert.js';
