import { connection } from 'next/server';
import { webEnv } from '@/env';
import { isRatioSampler, SAMPLER_ARG_META_NAME, SAMPLER_META_NAME } from '@/lib/shared/sampling';

/**
 * The server's OTEL_TRACES_SAMPLER (and its argument) as `<meta>` tags, which
 * lib/browser/browser-tracing.ts reads when it starts the browser's provider: the
 * browser cannot read the server's env, and a value inlined at build time
 * would ignore the env `next start` runs with. React hoists the tags into
 * `<head>`.
 *
 * `connection()` makes this render per request; without it Next.js would
 * prerender the pages at build time with the build's env. The cost is that
 * the home page is rendered per request instead of served prerendered.
 */
export async function BrowserTracingConfig() {
  await connection();
  const sampler = webEnv().tracesSampler;
  return (
    <>
      <meta name={SAMPLER_META_NAME} content={sampler.name} />
      {isRatioSampler(sampler.name) && <meta name={SAMPLER_ARG_META_NAME} content={String(sampler.ratio)} />}
    </>
  );
}
