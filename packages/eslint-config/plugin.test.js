import { describe, it } from 'node:test';
import path from 'node:path';
import { RuleTester } from 'eslint';
import tracelens from './plugin.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
/** A file of this repository, so the rules find its package by its package.json. */
const repo = path.resolve(import.meta.dirname, '..', '..');
const inWeb = (file) => path.join(repo, 'apps', 'web', file);

tester.run('no-process-env', tracelens.rules['no-process-env'], {
  valid: [
    { code: "import { webEnv } from '@/env'; webEnv().traceQueryUrl;" },
    { code: "if (process.env.NEXT_RUNTIME === 'nodejs') {}", options: [{ inlined: ['NEXT_RUNTIME'] }] },
    { code: 'process.exitCode = 1;' },
  ],
  invalid: [
    { code: 'const url = process.env.TRACE_QUERY_URL;', errors: [{ messageId: 'member' }] },
    { code: "const url = process.env['TRACE_QUERY_URL'];", errors: [{ messageId: 'member' }] },
    { code: 'spawn(cmd, { env: { ...process.env } });', errors: [{ messageId: 'member' }] },
    { code: 'const { env } = process;', errors: [{ messageId: 'member' }] },
    { code: "import { env } from 'node:process';", errors: [{ messageId: 'import' }] },
    { code: 'const x = process.env.OTHER;', options: [{ inlined: ['NEXT_RUNTIME'] }], errors: [{ messageId: 'member' }] },
  ],
});

tester.run('no-cross-package-import', tracelens.rules['no-cross-package-import'], {
  valid: [
    { code: "import { env } from '../../env';", filename: inWeb('lib/server/x.ts') },
    { code: "import { JaegerQueryClient } from '@tracelens/jaeger-query';", filename: inWeb('lib/server/x.ts') },
  ],
  invalid: [
    { code: "import { x } from '../../../packages/jaeger-query/src/client.js';", filename: inWeb('lib/server/x.ts'), errors: [{ messageId: 'cross' }] },
    { code: "export * from '../../otel-node/src/index.js';", filename: path.join(repo, 'packages', 'stack', 'src', 'x.ts'), errors: [{ messageId: 'cross' }] },
    { code: "const m = await import('../../../apps/collector/dist/index.js');", filename: path.join(repo, 'packages', 'trace-testing', 'src', 'x.ts'), errors: [{ messageId: 'cross' }] },
  ],
});

tester.run('no-package-internals', tracelens.rules['no-package-internals'], {
  valid: [{ code: "import { waitForTrace } from '@tracelens/jaeger-query/wait';" }, { code: "import x from '@tracelens/distant';" }],
  invalid: [
    { code: "import { x } from '@tracelens/jaeger-query/src/client.js';", errors: [{ messageId: 'internals' }] },
    { code: "import { x } from '@tracelens/collector/dist';", errors: [{ messageId: 'internals' }] },
  ],
});

const client = { clientFolders: ['lib/browser', 'lib/shared'], serverModules: ['@/env', '@/lib/server', 'server-only'] };
tester.run('no-server-import-in-client', tracelens.rules['no-server-import-in-client'], {
  valid: [
    { code: "import { webEnv } from '@/env';", filename: inWeb('lib/server/handlers/x.ts'), options: [client] },
    { code: "import { routes } from '@/lib/shared/routes';", filename: inWeb('lib/browser/x.ts'), options: [client] },
    { code: "import { log } from '@/lib/server/log';", filename: inWeb('app/page.tsx'), options: [client] },
  ],
  invalid: [
    { code: "import { webEnv } from '@/env';", filename: inWeb('lib/browser/x.ts'), options: [client], errors: [{ messageId: 'server' }] },
    { code: "import { log } from '../server/log';", filename: inWeb('lib/shared/x.ts'), options: [client], errors: [{ messageId: 'server' }] },
    { code: "'use client';\nimport 'server-only';", filename: inWeb('app/panel.tsx'), options: [client], errors: [{ messageId: 'server' }] },
  ],
});
