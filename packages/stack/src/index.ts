export {
  PORT_VARIABLES,
  appEnvironment,
  isolatedEnv,
  resolvePorts,
  startStack,
  type Backend,
  type BackendKind,
  type RunningStack,
  type StackHosts,
  type StackOptions,
  type StackPorts,
  type StackUrls,
} from './stack.js';
export { PortError, connectHost, ensureFree, freePorts, isLoopback, parsePort, refuseDuplicates } from './ports.js';
export {
  DEFAULT_BACKOFF,
  ServiceStartError,
  SupervisedService,
  type Backoff,
  type Ending,
  type OutputTarget,
  type ServiceDefinition,
  type SupervisorOptions,
} from './supervisor.js';
export { nextBin, packageDir, type Mode } from './services.js';
export { LauncherConfigError, readLauncherEnv, type LauncherSettings } from './env.js';
