import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CALLER_GONE_MESSAGE, CALLER_GONE_STATUS, CallerGoneException, callerSignal } from './caller-signal.js';

/** The parts of a ServerResponse callerSignal reads. */
class FakeResponse extends EventEmitter {
  writableFinished = false;
  destroyed = false;
  socket: { destroyed: boolean } | null = { destroyed: false };
}

const signalOf = (response: FakeResponse) => callerSignal(response as unknown as ServerResponse);

describe('callerSignal', () => {
  it('aborts with a CallerGoneException when the connection closes before the answer', () => {
    const response = new FakeResponse();
    const signal = signalOf(response);
    expect(signal.aborted).toBe(false);

    response.emit('close');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CallerGoneException);
    expect(signal.reason).toMatchObject({ message: CALLER_GONE_MESSAGE });
    expect((signal.reason as CallerGoneException).getStatus()).toBe(CALLER_GONE_STATUS);
  });

  it('does not abort when the connection closes after the answer', () => {
    const response = new FakeResponse();
    const signal = signalOf(response);
    response.writableFinished = true;
    response.emit('close');
    expect(signal.aborted).toBe(false);
  });

  it('is aborted from the start when the caller left before it was asked for', () => {
    const response = new FakeResponse();
    response.socket = { destroyed: true };
    expect(signalOf(response).aborted).toBe(true);
  });
});
