/** docs/enrollments-events.md: its shell commands (the block marked `doc-test: enrollments-events-try`) run against a live emulator and do what the text says. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMockDhis2, type MockDhis2 } from '../../mock-server/index.js';
import { docBlock } from '../docs/doc-blocks.js';

let mock: MockDhis2;
let url: string;
beforeAll(async () => {
  mock = await createMockDhis2({ seed: 1, log: () => {}, uniqueness: 'atomic' });
  url = await mock.listen(0, '127.0.0.1');
});
afterAll(() => mock.close());

it('docs/enrollments-events.md "Try it": every command runs; the second Birth event is refused; no duplicates', async () => {
  const script = docBlock('enrollments-events-try').code.replace('B=http://127.0.0.1:8080', `B=${url}`);
  expect(script).toContain(`B=${url}`);
  // asynchronously: the emulator answers from this process's event loop
  const { stdout: out } = await promisify(execFile)('sh', ['-ec', script], { encoding: 'utf8', timeout: 30_000 });
  expect(out).toContain('"errorCode":"E1039"');
  expect(out).toContain('"event":"EvtPQfMcpm1"');
  expect(mock.events.get('EvtPQfMcpm1')?.dataValues.map((d) => d.value).sort()).toEqual(['3400', 'VISIT-1']);
  expect(mock.events.has('EvtPQfMcpm2')).toBe(false);
  const invariants = JSON.parse(out.slice(out.lastIndexOf('{"ok"')));
  expect(invariants).toMatchObject({ ok: true, eventKeyDataElements: ['SrcVisitId1'], duplicateEvents: [], duplicateEnrollments: [] });
});
