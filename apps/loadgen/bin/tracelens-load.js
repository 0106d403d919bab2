#!/usr/bin/env node
// A committed entry point, so npm links the command before dist/ is built.
import '../dist/cli.js';
