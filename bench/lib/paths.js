// Request paths of the read scenarios. Keys are spread over the whole store (a stride coprime with
// its size), so a run touches as many different entities as it can and nothing is served from a
// hot handful.
import { BENCH_IDS, benchUid, nationalId } from './entities.js';

const STRIDE = 7919; // prime: i * STRIDE mod size visits every index

export function readPaths(kind, size, count = Math.min(size, 20_000)) {
  const at = (i) => (i * STRIDE) % size;
  const t = BENCH_IDS.type;
  const key = BENCH_IDS.nationalId;
  switch (kind) {
    case 'get':
      return Array.from({ length: count }, (_, i) => `/api/trackedEntityInstances/${benchUid(at(i))}`);
    case 'search':
      return Array.from({ length: count }, (_, i) => `/api/trackedEntityInstances?trackedEntityType=${t}&ouMode=ACCESSIBLE&filter=${key}:EQ:${nationalId(at(i))}`);
    case 'tracker':
      return Array.from({ length: count }, (_, i) => `/api/tracker/trackedEntities?trackedEntityType=${t}&ouMode=ACCESSIBLE&filter=${key}:EQ:${nationalId(at(i))}`);
    case 'json-server':
      return Array.from({ length: count }, (_, i) => `/people?nationalId=${nationalId(at(i))}`);
    case 'constant':
      return Array.from({ length: count }, (_, i) => `/api/trackedEntityInstances?trackedEntityType=${t}&ouMode=ACCESSIBLE&filter=${key}:EQ:${nationalId(at(i))}`);
    default:
      throw new Error(`unknown read scenario ${kind}`);
  }
}
