import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test/log-capture.js';
import { JsonNestLogger } from './json-nest-logger.js';

function setup() {
  const logs = new LogCapture();
  return { logs, nest: new JsonNestLogger(logs.logger()) };
}

describe('JsonNestLogger', () => {
  it('maps Nest levels onto JSON records, the trailing string becoming the context', () => {
    const { logs, nest } = setup();
    nest.log('Mapped {/data/:name, GET} route', 'RouterExplorer');
    nest.warn('careful', 'Ctx');
    nest.debug('details', 'Ctx');
    nest.verbose('more details', 'Ctx');
    nest.fatal('gone', 'Ctx');

    expect(logs.records().map(({ level, msg, context, fatal }) => ({ level, msg, context, fatal }))).toEqual([
      { level: 'info', msg: 'Mapped {/data/:name, GET} route', context: 'RouterExplorer', fatal: undefined },
      { level: 'warn', msg: 'careful', context: 'Ctx', fatal: undefined },
      { level: 'debug', msg: 'details', context: 'Ctx', fatal: undefined },
      { level: 'debug', msg: 'more details', context: 'Ctx', fatal: undefined },
      { level: 'error', msg: 'gone', context: 'Ctx', fatal: true },
    ]);
  });

  it('keeps a stack passed to error() as a stack, not as the context', () => {
    const { logs, nest } = setup();
    const stack = new Error('boom').stack ?? '';
    nest.error('boom', stack, 'ExceptionsHandler');
    nest.error('boom again', stack);

    expect(logs.records()).toEqual([
      expect.objectContaining({ level: 'error', msg: 'boom', stack, context: 'ExceptionsHandler' }),
      expect.objectContaining({ level: 'error', msg: 'boom again', stack }),
    ]);
    expect(logs.records()[1]).not.toHaveProperty('context');
  });

  it('writes errors and objects passed as the message', () => {
    const { logs, nest } = setup();
    nest.error(new TypeError('bad'), 'Ctx');
    nest.log({ user: 'ann', attempts: 2 });

    const [error, object] = logs.records();
    expect(error).toMatchObject({ msg: 'bad', context: 'Ctx', error: { name: 'TypeError', message: 'bad' } });
    expect(object).toMatchObject({ msg: "{ user: 'ann', attempts: 2 }" });
  });

  it('keeps extra parameters', () => {
    const { logs, nest } = setup();
    nest.log('with params', 42, { a: 1 }, 'Ctx');
    expect(logs.records()[0]).toMatchObject({ msg: 'with params', params: [42, { a: 1 }], context: 'Ctx' });
  });
});
