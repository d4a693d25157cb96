/**
 * No lost data values (issue 17): every data value the last successful write of a visit set, and
 * no later or concurrent write of that visit set differently, is on one live event of the
 * patient's stage at the end. Values a write did not mention must survive it (DHIS2's tracker
 * importer merges them; a legacy PUT without mergeDataValues drops them: dhis2-core
 * dhis-service-dxf2/.../deprecated/tracker/importer/context/EventDataValueAggregator.java).
 */
import type { LostDataValueFinding } from '../findings.js';
import { liveEvents } from '../jobs/snapshot.js';
import type { KeyView } from './key-view.js';
import { expectedValue, visitsOf } from './visits.js';

export function checkLostDataValues(view: KeyView): LostDataValueFinding[] {
  // a duplicate or an ambiguous patient is another property's story
  if (!view.jobs || view.ambiguous || view.final.length !== 1) return [];
  const holder = view.final[0].uid;
  for (const [stage, byKey] of visitsOf([...view.main, ...view.heal])) {
    const live = liveEvents(view.jobs, holder, stage);
    for (const [eventKey, writes] of byKey) {
      const elements = [...new Set(writes.flatMap((w) => Object.keys(w.dataValues)))];
      const expected = elements.flatMap((de) => {
        const e = expectedValue(writes, de);
        return e ? [{ de, ...e }] : [];
      });
      if (expected.length === 0) continue;
      // the visit's event is the live one that matches most of what it must hold
      const score = (ev: (typeof live)[number]) => expected.filter((x) => ev.dataValues[x.de] === x.value).length;
      const best = [...live].sort((a, b) => score(b) - score(a))[0];
      const missing = expected.find((x) => best?.dataValues[x.de] !== x.value);
      if (!missing) continue;
      const actual = best?.dataValues[missing.de] ?? null;
      return [
        {
          code: 'LOST_DATA_VALUE',
          key: view.key,
          trackedEntity: holder,
          programStage: stage,
          eventKey,
          dataElement: missing.de,
          expected: missing.value,
          actual,
          ...(best ? { event: best.uid } : {}),
          ops: [...new Set(writes.map((w) => w.op.id))],
          message: best
            ? `Visit ${eventKey} of patient ${holder} (key ${view.key}, stage ${stage}): op${missing.op.id} set ${missing.de} to ${JSON.stringify(missing.value)}, but event ${best.uid} ends with ${actual === null ? 'no value' : JSON.stringify(actual)}.`
            : `Visit ${eventKey} of patient ${holder} (key ${view.key}, stage ${stage}): op${missing.op.id} set ${missing.de} to ${JSON.stringify(missing.value)}, but the patient ends with no live event in the stage.`,
        },
      ];
    }
  }
  return [];
}
