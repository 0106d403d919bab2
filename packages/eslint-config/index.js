import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import tracelens from './plugin.js';

/**
 * The house rules for one package, as a flat config. `root` is the
 * package's directory (its eslint.config.js passes `import.meta.dirname`):
 * typescript-eslint reads the package's own tsconfig for type information.
 *
 * @param {object} options
 * @param {string} options.root the package's directory
 * @param {string[]} [options.inlinedEnv] `process.env.X` names a bundler replaces at build time, allowed anywhere (Next.js's NEXT_RUNTIME, ...)
 * @param {string[]} [options.ignores] more paths to leave out, relative to the package
 */
export function tracelensConfig({ root, inlinedEnv = [], ignores = [] }) {
  return defineConfig(
    {
      ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/test-results/**', '**/playwright-report/**', '**/.cache/**', '**/next-env.d.ts', ...ignores],
    },
    js.configs.recommended,
    tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: {
          // Extra vitest configs and .mts configs at a package's root are in no tsconfig of their own.
          projectService: { allowDefaultProject: ['vitest.*.config.ts', '*.config.mts'] },
          tsconfigRootDir: root,
        },
      },
      linterOptions: { reportUnusedDisableDirectives: 'error' },
      plugins: { tracelens },
      rules: {
        // create-t3-turbo's restricted env access: each package parses its
        // environment once, in env.ts (zod), and nothing else reads it.
        'tracelens/no-process-env': ['error', { inlined: inlinedEnv }],
        // Packages depend on each other through their `exports`, never through paths.
        'tracelens/no-cross-package-import': 'error',
        'tracelens/no-package-internals': 'error',
        // Unused names fail the build already (noUnusedLocals, noUnusedParameters);
        // the lint rule would only say it twice, without tsc's `_` convention.
        '@typescript-eslint/no-unused-vars': 'off',
        // A type-only import must say so, so that it is erased (isolatedModules).
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-import-type-side-effects': 'error',
        // An AbortSignal's `reason` is typed `any`, and rejecting with it is
        // the abort contract every caller of an abortable wait relies on.
        '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
        // What the default allows, plus Node's own URL and URLSearchParams
        // (declared by @types/node, not the DOM lib), whose text is well defined.
        '@typescript-eslint/restrict-template-expressions': [
          'error',
          {
            allow: [
              { from: 'lib', name: ['Error', 'URL', 'URLSearchParams'] },
              { from: 'package', package: 'node', name: ['URL', 'URLSearchParams'] },
            ],
          },
        ],
      },
    },
    {
      // Plain JavaScript (config files, bin scripts) has no type information to lint with.
      files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
      extends: [tseslint.configs.disableTypeChecked],
    },
    {
      // Tests assert on answers as they arrive (`await res.json()`, recorded
      // JSON): the no-unsafe-* rules guard production code against untyped
      // values flowing on, and in a test the assertion is the check. An
      // explicit `any` stays an error everywhere.
      files: ['**/*.test.ts', '**/*.spec.ts', '**/test/**/*.ts', '**/tests/**/*.ts'],
      rules: {
        '@typescript-eslint/no-unsafe-assignment': 'off',
        '@typescript-eslint/no-unsafe-member-access': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-unsafe-return': 'off',
        '@typescript-eslint/no-unsafe-argument': 'off',
        // Collecting a child process's output (`out += chunk`) and callbacks
        // that are async to fit the interface they stand in for are the idiom there.
        '@typescript-eslint/restrict-plus-operands': 'off',
        '@typescript-eslint/require-await': 'off',
      },
    },
    {
      // The one module per package that reads the environment.
      files: ['**/env.ts', '**/env.mjs'],
      rules: { 'tracelens/no-process-env': 'off' },
    },
  );
}
