/** Ambiguity is safe: when more than one entity already carries the key, the implementation writes nothing (upsert.md). */
import type { AmbiguityWriteFinding } from '../findings.js';
import type { KeyView } from './key-view.js';

export function checkAmbiguity(view: KeyView): AmbiguityWriteFinding[] {
  if (!view.ambiguous) return [];
  const ops = [...view.main, ...view.heal];
  const preexisting = view.initial.map((e) => e.uid);
  let writes: AmbiguityWriteFinding['writes'] = [];
  if (view.journalAvailable) {
    writes = ops.flatMap((op) => op.commits.map((c) => ({ op: op.id, uid: c.uid, operation: c.operation })));
  } else {
    const before = new Map(view.initial.map((e) => [e.uid, JSON.stringify(e)]));
    writes = view.final.filter((e) => before.get(e.uid) !== JSON.stringify(e)).map((e) => ({ op: -1, uid: e.uid, operation: before.has(e.uid) ? 'update' : 'create' }));
  }
  if (writes.length === 0) return [];
  const involved = [...new Set(writes.map((w) => w.op).filter((o) => o >= 0))];
  return [
    {
      code: 'AMBIGUITY_WRITE',
      key: view.key,
      preexisting,
      writes,
      ops: involved.length > 0 ? involved : ops.map((o) => o.id),
      message: `${preexisting.length} entities already carried key ${view.key} (${preexisting.join(', ')}), yet ${writes
        .map((w) => `${w.op >= 0 ? `op${w.op}` : 'the run'} ${w.operation === 'create' ? 'created' : 'wrote to'} ${w.uid}`)
        .join(', ')}: an ambiguous match must write nothing.`,
    },
  ];
}
