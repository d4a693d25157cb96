/**
 * The journal is bounded in bytes, not only in entries (issue 15, item 5): 12,000 requests of
 * ~15 KB each grew the emulator by hundreds of MB and one `GET /__admin/journal` answered 182 MB.
 * Now `journalMaxBytes` (`--journal-max-bytes`) caps what the journal holds, long texts (a query
 * string, an attribute value) are kept as a prefix plus their size and hash, and the admin answer
 * never exceeds the cap either (it pages with `next` / `after`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionsError } from '../../mock-server/config.js';
import { createMockDhis2 } from '../../mock-server/index.js';
import { Journal, type JournalEntry, type RequestEntry } from '../../mock-server/journal.js';
import type { CommitEvent } from '../../mock-server/store/entity-store.js';
import { emulator } from '../mock-server/helpers.js';
import { A, storedPerson, TET } from './support/people.js';
import { FC_SEED } from './support/seed.js';

const MAX_BYTES = 200_000;
/** `{"entries":[…],"dropped":N,"limit":N}` around the entries */
const ENVELOPE = 200;

const bytesOf = (entries: readonly JournalEntry[]) => entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0);

describe('the journal is bounded in bytes (item 5)', () => {
  it('hundreds of 15 KB requests: what it holds and what GET /__admin/journal answers stay under journalMaxBytes; the newest are kept', async () => {
    const e = await emulator({ journalMaxBytes: MAX_BYTES });
    const longQuery = `trackedEntityType=${TET}&ouMode=ACCESSIBLE&filter=${A.nationalId}:IN:${Array.from({ length: 1250 }, (_, i) => `N-${i}-xxxxx`).join(';')}`;
    expect(longQuery.length).toBeGreaterThan(15_000);
    for (let i = 0; i < 300; i++) await e.get(`/api/trackedEntityInstances?${longQuery}&page=${i + 1}`);
    const last = await e.get('/api/me').expect(200);

    const journal = e.mock.runtime.journal;
    expect(journal.bytes).toBeLessThanOrEqual(MAX_BYTES);
    const held = journal.list();
    expect(bytesOf(held)).toBeLessThanOrEqual(journal.bytes);
    const res = await e.raw.get('/__admin/journal').expect(200);
    expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(MAX_BYTES + ENVELOPE);
    expect(res.body.dropped).toBeGreaterThan(0);
    expect(res.body.next).toBeUndefined();
    const entries = res.body.entries as JournalEntry[];
    expect(entries.at(-1)).toMatchObject({ type: 'response', requestId: last.headers['x-request-id'] });
    // a long query is kept as a prefix plus its size and hash
    const searches = entries.filter((x) => x.type === 'request' && x.path === '/api/trackedEntityInstances');
    expect(searches.length).toBeGreaterThan(10);
    for (const s of searches) {
      if (s.type !== 'request') continue;
      expect(s.query.length).toBeLessThan(2200);
      expect(s.query).toMatch(/…\[\d{5} chars, sha256 [0-9a-f]{16}\]$/);
    }
  });

  it('a value above the inline size is kept in commits as its prefix, size and hash; the store keeps it whole', async () => {
    const person = storedPerson(0);
    const long = 'L'.repeat(5000);
    const journal = new Journal(1000, Date.now, MAX_BYTES);
    const event: CommitEvent = {
      seq: 1, at: 0, uid: person.uid, operation: 'update', requestId: 'r1',
      before: person,
      after: { ...person, attributes: person.attributes.map((a) => (a.attribute === A.firstName ? { ...a, value: long } : a)) },
    };
    journal.recordCommit(event);
    const [commit] = journal.list();
    expect(commit.type === 'commit' && commit.changes).toEqual([{ attribute: A.firstName, before: 'Pre', after: expect.stringMatching(/^L{2048}…\[5000 chars, sha256 [0-9a-f]{16}\]$/) }]);
    expect(event.after.attributes.find((a) => a.attribute === A.firstName)!.value).toBe(long);
    // the value filter still finds it
    expect(journal.query({ value: long }).entries).toHaveLength(1);
  });

  it(`what it accounts for its entries is exactly their JSON size (FC_SEED=${FC_SEED})`, () => {
    // JSON's worst cases: escapes (quote, backslash, control characters, lone surrogates) and multi-byte UTF-8
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\n', 'é', '😀', '\ud800', 'a', '\u2028'), maxLength: 3000 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, text, text), { minLength: 1, maxLength: 20 }), (rows) => {
        const journal = new Journal(10_000, Date.now, 10_000_000);
        for (const [path, query, user, summary] of rows) {
          const entry: RequestEntry = journal.add({ type: 'request', requestId: 'r', method: 'GET', path, query, bodyBytes: 1e9 });
          // filled in later by the middleware, which then has the journal measure it again
          entry.user = user.slice(0, 64);
          entry.bodyHash = 'f'.repeat(16);
          journal.remeasure(entry);
          journal.add({ type: 'response', requestId: 'r', status: 500, summary, durationMs: 123456 });
        }
        // exact: JSON size plus one separator per entry
        expect(journal.bytes).toBe(bytesOf(journal.list()));
      }),
      { seed: FC_SEED, numRuns: 100 },
    );
  });

  it('GET /__admin/journal pages: a cap smaller than the journal gives `next`, and `after` continues from it', async () => {
    const e = await emulator();
    for (let i = 0; i < 20; i++) await e.get('/api/me').expect(200);
    const all = (await e.raw.get('/__admin/journal').expect(200)).body.entries as JournalEntry[];
    const page = await e.raw.get('/__admin/journal?maxBytes=2000').expect(200);
    expect(Buffer.byteLength(page.text)).toBeLessThanOrEqual(2000 + ENVELOPE);
    expect(page.body.next).toBe(page.body.entries.at(-1).seq);
    const rest = await e.raw.get(`/__admin/journal?after=${page.body.next}`).expect(200);
    expect([...page.body.entries, ...rest.body.entries].map((x: JournalEntry) => x.seq)).toEqual(all.map((x) => x.seq));
    await e.raw.get('/__admin/journal?after=abc').expect(400);
    await e.raw.get('/__admin/journal?maxBytes=0').expect(400);
  });

  it('journalMaxBytes is validated at the boundary', async () => {
    for (const bad of [0, -1, 1.5, '1mb']) {
      await expect(createMockDhis2({ journalMaxBytes: bad as number })).rejects.toBeInstanceOf(InvalidOptionsError);
    }
    const mock = await createMockDhis2({ journalMaxBytes: 4096, log: () => {} });
    expect(mock.runtime.journal.maxBytes).toBe(4096);
  });
});

