#!/usr/bin/env node
// A committed entry point, so npm links the command at install time, before
// `npm run build` has produced dist/.
import '../dist/cli.js';
