#!/usr/bin/env node
// The data-processor's one start command. Tracing first: its
// instrumentations hook `require`, so they must be in place before Nest,
// express and http are loaded, which the dynamic import below does only
// once tracing.js has run (the same as `node --import ./dist/tracing.js
// dist/main.js`, without a flag to repeat wherever it is started).
// Committed, so npm links the command at install time, before dist/ exists.
import '../dist/tracing.js';
await import('../dist/main.js');
