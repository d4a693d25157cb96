/**
 * No duplicate events (issue 17): at the end, a patient has at most one live event per stage and
 * source key the operations asked for: no more live events in a stage than distinct keys, none
 * beyond one in a non-repeatable stage, and no two carrying one source visit id (the demo's
 * `SrcVisitId1`, where integrations keep it). How an implementation stores the key is its choice,
 * so the count is judged against what the operations asked for.
 */
import { DEMO_IDS } from '../../../mock-server/index.js';
import type { DuplicateEventFinding } from '../findings.js';
import { stageById } from '../jobs/catalog.js';
import { liveEvents } from '../jobs/snapshot.js';
import type { KeyView } from './key-view.js';
import { visitsOf } from './visits.js';

const SOURCE_KEY = DEMO_IDS.dataElements.sourceVisitId;

export function checkDuplicateEvents(view: KeyView): DuplicateEventFinding[] {
  if (!view.jobs) return [];
  const mine = [...view.main, ...view.heal];
  const out: DuplicateEventFinding[] = [];
  for (const [stage, byKey] of visitsOf(mine)) {
    const keys = [...byKey.keys()];
    const repeatable = stageById(stage)?.repeatable ?? true;
    for (const holder of view.final) {
      const live = liveEvents(view.jobs, holder.uid, stage);
      const sourceIds = live.map((e) => e.dataValues[SOURCE_KEY]).filter((v): v is string => v !== undefined && v !== '');
      const sharedId = new Set(sourceIds).size < sourceIds.length;
      const limit = repeatable ? keys.length : 1;
      if (live.length <= limit && !sharedId) continue;
      const why = sharedId ? 'two of them carry one source visit id' : repeatable ? `the records asked for ${keys.length} visit(s) (${keys.join(', ')})` : 'the stage is not repeatable';
      out.push({
        code: 'DUPLICATE_EVENT',
        key: view.key,
        trackedEntity: holder.uid,
        programStage: stage,
        keys,
        events: live.map((e) => e.uid),
        ops: [...new Set([...byKey.values()].flat().map((w) => w.op.id))],
        message: `Patient ${holder.uid} (key ${view.key}) ends with ${live.length} live events in stage ${stage} (${live.map((e) => e.uid).join(', ')}); ${why}.`,
      });
    }
  }
  return out;
}
