#!/usr/bin/env node
// Thin launcher so the bin exists before the package is built; the CLI itself lives in dist/.
await import('../dist/cli.js');
