import { describe, expect, it } from 'vitest';
import { checkName, NAME_MAX_LENGTH } from './name-rule';

describe('checkName', () => {
  it.each(['alice', 'bob', 'charlie_error', 'A-1.b_2', 'x', '...', '.hidden', 'x'.repeat(NAME_MAX_LENGTH)])(
    'accepts %j',
    (name) => {
      expect(checkName(name)).toEqual({ ok: true, name });
    },
  );

  it.each([
    ['', 'Name is required.'],
    ['x'.repeat(NAME_MAX_LENGTH + 1), 'Name must be at most 64 characters (got 65).'],
    ['two words', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['a/b', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['%2F', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['zoë', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['tab\t', 'Name may only contain letters, digits, "_", "-" and ".".'],
    ['.', 'Name cannot be "." or "..".'],
    ['..', 'Name cannot be "." or "..".'],
  ])('rejects %j', (name, error) => {
    expect(checkName(name)).toEqual({ ok: false, error });
  });
});
