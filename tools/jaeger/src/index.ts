export {
  JAEGER_MODULE,
  JAEGER_VERSION,
  JaegerUnavailableError,
  ensureJaegerBinary,
  pinnedModuleVersion,
  type EnsureJaegerOptions,
} from './binary.js';
export {
  CONFIG_FILE,
  freePort,
  jaegerCommand,
  startJaeger,
  type JaegerPorts,
  type RunningJaeger,
  type StartJaegerOptions,
} from './process.js';
