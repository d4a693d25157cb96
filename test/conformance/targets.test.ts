import { describe, expect, it } from 'vitest';
import { discoverTargets, type JsonGet } from '../../src/conformance/targets.js';

/** A server's public metadata, answered by path prefix. */
function server(answers: Record<string, unknown>): JsonGet {
  return async (path) => {
    const hit = Object.keys(answers).find((p) => path.startsWith(p));
    if (!hit) throw new Error(`unexpected GET ${path}`);
    return answers[hit];
  };
}
const attr = (id: string, o: Record<string, unknown>) => ({ mandatory: false, trackedEntityAttribute: { id, valueType: 'TEXT', unique: false, orgunitScope: false, generated: false, ...o } });

describe('discovering the metadata cases need (read-only)', () => {
  it('prefers a plain unique TEXT key over a generated one, a mandatory TEXT name, and fills other mandatory attributes', async () => {
    const { targets, notes } = await discoverTargets(server({
      '/api/me': { organisationUnits: [{ id: 'OuCapture01' }] },
      '/api/trackedEntityTypes': { trackedEntityTypes: [
        { id: 'TypeNoKey01', trackedEntityTypeAttributes: [attr('Name0000001', {})] },
        { id: 'TypeKeyed01', trackedEntityTypeAttributes: [
          attr('GenUnique01', { unique: true, generated: true }), attr('KeyUnique01', { unique: true }),
          attr('NickName001', {}), { ...attr('FirstName01', {}), mandatory: true },
          { ...attr('DateBirth01', { valueType: 'DATE' }), mandatory: true }, { ...attr('Gender00001', { optionSet: { id: 'GenderSet01' } }), mandatory: true },
        ] },
      ] },
      '/api/optionSets/GenderSet01': { options: [{ code: 'F' }, { code: 'M' }] },
      '/api/programs': { programs: [{ id: 'ProgOther01', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TypeNoKey01' } }, { id: 'ProgKeyed01', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TypeKeyed01' } }] },
    }), {});
    expect(notes).toEqual([]);
    expect(targets).toEqual({
      orgUnit: 'OuCapture01', trackedEntityType: 'TypeKeyed01', uniqueAttribute: 'KeyUnique01', nameAttribute: 'FirstName01',
      requiredAttributes: [{ attribute: 'DateBirth01', value: '2000-01-01' }, { attribute: 'Gender00001', value: 'F' }], program: 'ProgKeyed01',
    });
  });

  it('says what it could not find, and what to pass instead', async () => {
    const { targets, notes } = await discoverTargets(server({
      '/api/me': { organisationUnits: [] },
      '/api/trackedEntityTypes': { trackedEntityTypes: [{ id: 'T1', trackedEntityTypeAttributes: [attr('OnlyGen0001', { unique: true, generated: true }), { ...attr('Img00000001', { valueType: 'IMAGE' }), mandatory: true }] }] },
      '/api/programs': { programs: [] },
    }), {});
    expect(targets.uniqueAttribute).toBe('OnlyGen0001');
    expect(notes).toEqual([
      'the user has no capture org unit: pass --org-unit',
      'the unique attribute OnlyGen0001 is generated (TextPattern): cases that write will fail its pattern check; pass --unique-attribute',
      'no sample value for the mandatory IMAGE attribute Img00000001: pass --tracked-entity-type of a simpler type',
      'no non-unique TEXT attribute on the type: pass --name-attribute',
    ]);
  });

  it('asks nothing for what the user gave', async () => {
    const given = { orgUnit: 'O', trackedEntityType: 'T', uniqueAttribute: 'U', nameAttribute: 'N', requiredAttributes: [], program: 'P' };
    const { targets } = await discoverTargets(server({}), given);
    expect(targets).toEqual(given);
  });
});
