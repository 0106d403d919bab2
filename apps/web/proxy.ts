import { NextResponse, type NextRequest } from 'next/server';
import { literalPercentPath } from '@/lib/shared/literal-percent';

/**
 * Runs before Next.js matches a route, for paths with a `%` only (see
 * `config`): a path whose percent-escapes cannot be decoded is rewritten to
 * the same path with them taken literally (lib/shared/literal-percent.ts), so
 * `/api/process/%zz` answers the route's 400 and `/traces/%zz` the trace
 * page's not-found page, instead of Next's bare 500. Every other request,
 * including every traced click, never gets here.
 */
export function proxy(request: NextRequest): NextResponse {
  const literal = literalPercentPath(request.nextUrl.pathname);
  if (literal === null) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = literal;
  return NextResponse.rewrite(url);
}

export const config = {
  // Matched against the raw path, before any decoding.
  matcher: ['/:path(.*%.*)'],
};
