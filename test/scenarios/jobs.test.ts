/**
 * Scenario records with enrollments and events (issue 17): the record of docs/scenarios.md
 * validates and resolves its aliases to the fixture's UIDs, and an unknown programme, stage or
 * data element is reported with its JSON path.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/index.js';
import { buildCatalog } from '../../src/harness/scenario/catalog.js';
import { parseScenario, ScenarioFileError } from '../../src/harness/scenario/load.js';
import { resolveScenario } from '../../src/harness/scenario/resolve.js';
import { docBlock } from '../docs/doc-blocks.js';

const scenarioWith = (record: unknown) => ({
  title: 'A job record',
  description: 'One upsert with an enrollment.',
  seenIn: 'Nowhere, it is a test.',
  records: { patient: record },
  implementations: ['robust'],
  operations: [{ upsert: 'patient' }],
});

describe('scenario records with enrollments and events', () => {
  it('the record of docs/scenarios.md validates and resolves to UIDs', () => {
    const { scenario } = parseScenario('doc.json', scenarioWith(JSON.parse(docBlock('scenario-job-record').code)));
    const resolved = resolveScenario(scenario, buildCatalog(scenario), 'doc');
    expect(resolved.records.get('patient')!.enrollments).toEqual([
      {
        program: DEMO_IDS.tbProgram,
        enrolledAt: '2024-01-15',
        events: [{ programStage: DEMO_IDS.programStages.tbVisit, key: 'smear-5531', occurredAt: '2024-01-16', dataValues: [{ dataElement: DEMO_IDS.dataElements.tbSmearResult, value: '2' }] }],
      },
    ]);
  });

  it.each([
    ['program', { program: 'malaria', enrolledAt: '2024-01-15' }, 'records.patient.enrollments[0].program'],
    ['stage', { program: 'tbProgram', enrolledAt: '2024-01-15', events: [{ programStage: 'followUp', key: 'k', occurredAt: '2024-01-16' }] }, 'records.patient.enrollments[0].events[0].programStage'],
    ['data element', { program: 'tbProgram', enrolledAt: '2024-01-15', events: [{ programStage: 'tbVisit', key: 'k', occurredAt: '2024-01-16', dataValues: { sputum: 1 } }] }, 'records.patient.enrollments[0].events[0].dataValues.sputum'],
  ])('an unknown %s is reported with its path', (_what, enrollment, where) => {
    const record = { orgUnit: 'ngelehun', attributes: { nationalId: 'NID-1' }, enrollments: [enrollment] };
    try {
      parseScenario('bad.json', scenarioWith(record));
      throw new Error('expected the scenario to be rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioFileError);
      expect((e as ScenarioFileError).issues.map((i) => i.path), (e as Error).message).toContain(where);
    }
  });
});
