/** One JSON line per record on stderr, so the collector's output can be parsed like the services'. */
export interface Log {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const jsonLog: Log = {
  info: (msg, fields) => write('info', msg, fields),
  error: (msg, fields) => write('error', msg, fields),
};

/** For library use in tests: keeps errors visible, drops the rest. */
export const quietLog: Log = {
  info: () => {},
  error: (msg, fields) => write('error', msg, fields),
};

function write(level: string, msg: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'tracelens-collector', msg, ...fields })}\n`);
}
