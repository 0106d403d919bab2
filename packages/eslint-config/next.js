import nextPlugin from '@next/eslint-plugin-next';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { tracelensConfig } from './index.js';

/**
 * The house rules for a Next.js app: the base rules, React's hooks rules,
 * Next.js's own (core web vitals), and the split by where code runs:
 * `clientFolders` and 'use client' modules may not import `serverModules`.
 *
 * @param {object} options
 * @param {string} options.root the app's directory
 * @param {string[]} [options.inlinedEnv] `process.env.X` names Next.js replaces at build time
 * @param {string[]} [options.clientFolders] folders of browser or shared code, relative to the app (e.g. `lib/browser`)
 * @param {string[]} [options.serverModules] import paths of server code (e.g. `@/env`, `@/lib/server`, `server-only`)
 */
export function tracelensNextConfig({ root, inlinedEnv = [], clientFolders = [], serverModules = [] }) {
  return defineConfig(
    tracelensConfig({ root, inlinedEnv }),
    nextPlugin.configs['core-web-vitals'],
    reactHooks.configs.flat.recommended,
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { globals: { ...globals.browser } },
      rules: {
        'tracelens/no-server-import-in-client': ['error', { clientFolders, serverModules }],
      },
    },
  );
}
