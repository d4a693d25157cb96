#!/usr/bin/env node
// `npm run bench`: a small launcher. The benches import the emulator and the upsert core from the
// compiled dist/ (built by `npm ci`); build it first if it is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/mock-server/app.js', import.meta.url)))) {
  process.stderr.write('[bench] dist/ is missing: running `npm run build` first\n');
  execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
const { main } = await import('./lib/main.js');
await main();
