// Cost of a durable --db save, in its own process: the same state saved with and without
// `dbFsync` (fsync of the temp file before the rename and of the folder after it), alternating
// one save of each so that disk and machine load hit both alike. The file lives in the ignored
// bench/results/ folder, on the disk a checkout's --db files would be on (not a tmpfs).
// Input: { entities, saves }; output: one JSON line with milliseconds per save.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { entities = 1000, saves = 20, dist = '../../dist' } = JSON.parse(process.argv[2] ?? '{}');
const { Persistence } = await import(`${dist}/mock-server/store/persistence.js`);
const { storedEntities } = await import('../lib/entities.js');

const state = { version: 1, trackedEntities: [...storedEntities(entities)] };
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
await mkdir(resultsDir, { recursive: true }); // a fresh clone has no results folder yet
const dir = await mkdtemp(join(resultsDir, '.save-bench-'));
try {
  const kinds = { fsync: [], plain: [] };
  const stores = {
    fsync: new Persistence(join(dir, 'fsync.json'), () => state, { fsync: true }),
    plain: new Persistence(join(dir, 'plain.json'), () => state, { fsync: false }),
  };
  for (const p of Object.values(stores)) {
    await p.open();
    await p.save(); // warm-up: the file exists from here on, as in a running emulator
  }
  for (let i = 0; i < saves; i++) {
    for (const kind of i % 2 === 0 ? ['fsync', 'plain'] : ['plain', 'fsync']) {
      const t = process.hrtime.bigint();
      await stores[kind].save();
      kinds[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  for (const p of Object.values(stores)) await p.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bytes = JSON.stringify(state).length;
  process.stdout.write(`${JSON.stringify({ entities, saves, fileBytes: bytes, fsyncMs: median(kinds.fsync), plainMs: median(kinds.plain), fsyncP90Ms: [...kinds.fsync].sort((a, b) => a - b)[Math.floor(saves * 0.9)], plainP90Ms: [...kinds.plain].sort((a, b) => a - b)[Math.floor(saves * 0.9)] })}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
