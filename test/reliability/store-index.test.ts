/**
 * The store's memory savings (a key held by one entity maps to the UID itself, a Set only from the
 * second holder; interned strings) must not change what it answers: after any sequence of creates,
 * updates, value changes and reloads, `holders(attribute, value)` equals a scan of every entity,
 * case-insensitively, and every stored entity still reads back with the values it was given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EntityStore } from '../../mock-server/store/entity-store.js';
import { A, storedPerson, valueOf } from './support/people.js';
import { FC_SEED } from './support/seed.js';

const VALUES = ['K-1', 'k-1', 'K-2', 'k-2 ', 'ǅ', 'ǆ', 'x'];
const op = fc.record({
  entity: fc.integer({ min: 0, max: 5 }),
  nid: fc.option(fc.constantFrom(...VALUES), { freq: 4 }),
  name: fc.constantFrom(...VALUES),
  reload: fc.boolean(),
});

describe('store index under arbitrary writes (memory layout, same answers)', () => {
  it('holders() always equals a full scan, and values read back as written', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const store = new EntityStore();
        const written = new Map<string, { nid: string | null; name: string }>();
        for (const o of ops) {
          const e = storedPerson(o.entity);
          e.attributes = e.attributes
            .filter((a) => a.attribute !== A.nationalId || o.nid !== null)
            .map((a) => (a.attribute === A.nationalId ? { ...a, value: o.nid! } : a.attribute === A.firstName ? { ...a, value: o.name } : a));
          if (o.reload) store.load([e]);
          else store.commit(e, store.has(e.uid) ? 'update' : 'create');
          written.set(e.uid, { nid: o.nid, name: o.name });
        }
        for (const [uid, w] of written) {
          const e = store.get(uid)!;
          expect(valueOf(e, A.nationalId) ?? null).toBe(w.nid);
          expect(valueOf(e, A.firstName)).toBe(w.name);
        }
        for (const attribute of [A.nationalId, A.firstName]) {
          for (const v of VALUES) {
            const scan = [...store.all()].filter((e) => valueOf(e, attribute)?.toLowerCase() === v.toLowerCase()).map((e) => e.uid).sort();
            expect(store.holders(attribute, v).map((e) => e.uid).sort(), `${attribute} = ${v}`).toEqual(scan);
          }
        }
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });
});
