#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx compiles on the fly.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readFile: async (p) => (await import('node:fs/promises')).readFile(p, 'utf8'),
  writeFile: async (p, data) => (await import('node:fs/promises')).writeFile(p, data),
  stdin: process.stdin,
});
