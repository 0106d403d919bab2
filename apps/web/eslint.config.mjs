import { tracelensNextConfig } from '@tracelens/eslint-config/next';

export default tracelensNextConfig({
  root: import.meta.dirname,
  // Constants Next.js inlines at build time, tested where they are so the
  // bundler can drop the dead branch (see env.ts).
  inlinedEnv: ['NEXT_RUNTIME', 'TRACELENS_BROWSER_TRACING'],
  clientFolders: ['lib/browser', 'lib/shared'],
  serverModules: ['@/env', '@/lib/server', 'server-only'],
});
