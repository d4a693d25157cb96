// Memory per stored entity, in its own process (run with --expose-gc): RSS and V8 heap before and
// after loading COUNT entities the way a --db file or fixture load does (every string its own
// heap object), both measured after full garbage collections.
const { count, dist = '../../dist' } = JSON.parse(process.argv[2] ?? '{}');
const { createMockDhis2 } = await import(`${dist}/mock-server/index.js`);
const { storedEntities } = await import('../lib/entities.js');

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((r) => setImmediate(r));
  }
};
const mock = await createMockDhis2({ uniqueness: 'atomic', seed: 1, log: () => {} });
await settle();
const before = process.memoryUsage();
const batch = [];
for (const e of storedEntities(count)) {
  batch.push(e);
  if (batch.length === 1000) mock.store.load(batch.splice(0));
}
mock.store.load(batch.splice(0));
await settle();
const after = process.memoryUsage();
process.stdout.write(`${JSON.stringify({
  count: mock.store.size,
  rssBytesPerEntity: (after.rss - before.rss) / count,
  heapBytesPerEntity: (after.heapUsed - before.heapUsed) / count,
  rssMb: after.rss / 1048576,
})}\n`);
