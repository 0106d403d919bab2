import { readBenchEnv } from './env.js';

/** Debian's Chromium, as the e2e suite uses it (Playwright's own download is unavailable on our machines). */
export const CHROMIUM = readBenchEnv().chromiumPath;

/** No sandbox (we run as root), and none of the background traffic a closed network refuses. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
