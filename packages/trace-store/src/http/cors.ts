/** Origins allowed by default: any port on the loopback host names. */
export const DEFAULT_CORS_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/**
 * Matches a request's Origin against the allowed patterns: an exact origin
 * (`https://app.example.com`), one with any port (`http://localhost:*`), or
 * `*` for every origin.
 */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  for (const pattern of patterns) {
    if (pattern === '*' || pattern === origin) return true;
    if (pattern.endsWith(':*')) {
      const base = pattern.slice(0, -2);
      if (origin === base || (origin.startsWith(`${base}:`) && /^\d{1,5}$/.test(origin.slice(base.length + 1)))) {
        return true;
      }
    }
  }
  return false;
}
