/** The fixture's stages and data elements are discoverable through the metadata API (§5; issue 17 fixture). */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../mock-server/index.js';
import { emulator } from '../helpers.js';

const PS = DEMO_IDS.programStages;
const DE = DEMO_IDS.dataElements;

describe('programs → stages → data elements', () => {
  it('§5 /api/programs/{id}?fields=… reaches each stage, its repeatability and each data element with its value type', async () => {
    const e = await emulator();
    const fields = 'id,onlyEnrollOnce,programStages[id,name,repeatable,validationStrategy,programStageDataElements[compulsory,dataElement[id,valueType,optionSet]]]';
    const p = (await e.get(`/api/programs/${DEMO_IDS.program}?fields=${fields}`)).body;
    expect(p.onlyEnrollOnce).toBe(true);
    expect(p.programStages.map((s: { id: string; repeatable: boolean }) => [s.id, s.repeatable])).toEqual([[PS.birth, false], [PS.babyPostnatal, true]]);
    const postnatal = p.programStages[1];
    expect(postnatal.programStageDataElements).toContainEqual({ compulsory: true, dataElement: { id: DE.infantWeight, valueType: 'INTEGER_POSITIVE' } });
    expect(postnatal.programStageDataElements).toContainEqual({ compulsory: false, dataElement: { id: DE.infantFeeding, valueType: 'TEXT', optionSet: { id: DEMO_IDS.optionSets.infantFeeding } } });
  });

  it('§5 the second program allows re-enrollment and is PROTECTED; all fields list its stage as a reference', async () => {
    const e = await emulator();
    const p = (await e.get(`/api/programs/${DEMO_IDS.tbProgram}`)).body;
    expect(p).toMatchObject({ onlyEnrollOnce: false, accessLevel: 'PROTECTED', programStages: [{ id: PS.tbVisit }] });
    expect(Object.keys(p.programStages[0])).toEqual(['id']);
  });

  it('§5 /api/programStages and /api/dataElements list, filter and resolve by id', async () => {
    const e = await emulator();
    const stages = (await e.get('/api/programStages?fields=id,repeatable,program&filter=repeatable:eq:false&paging=false')).body;
    expect(stages).toEqual({ programStages: [{ id: PS.birth, repeatable: false, program: { id: DEMO_IDS.program } }] });
    const de = (await e.get(`/api/dataElements/${DE.measlesDose}`)).body;
    expect(de).toMatchObject({ id: DE.measlesDose, valueType: 'TRUE_ONLY', domainType: 'TRACKER' });
    expect((await e.get('/api/dataElements/NoSuchDe001')).body.message).toBe('DataElement with id NoSuchDe001 could not be found.');
  });
});
