/**
 * The one rule for a name to process, shared by the form (checked before any
 * request) and the frontend-api route (checked again, since anyone can call it).
 */

export const NAME_MAX_LENGTH = 64;

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export type NameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly error: string };

/** 1-64 ASCII letters, digits, `_`, `-` or `.`; not `.` or `..`. */
export function checkName(input: string): NameCheck {
  if (input.length === 0) {
    return { ok: false, error: 'Name is required.' };
  }
  if (input.length > NAME_MAX_LENGTH) {
    return { ok: false, error: `Name must be at most ${NAME_MAX_LENGTH} characters (got ${input.length}).` };
  }
  if (!NAME_PATTERN.test(input)) {
    return { ok: false, error: 'Name may only contain letters, digits, "_", "-" and ".".' };
  }
  // The name travels as a URL path segment (/api/process/{name}, /data/{name}),
  // where "." and ".." are dot-segments that every URL parser removes, even
  // percent-encoded, so such a request would reach another path.
  if (input === '.' || input === '..') {
    return { ok: false, error: 'Name cannot be "." or "..".' };
  }
  return { ok: true, name: input };
}
