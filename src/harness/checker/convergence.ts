/**
 * Convergence: once the faults stop, upserting the key again succeeds and leaves exactly one
 * entity with the record's values (upsert.md). The heal phase is that "again".
 */
import type { NotConvergedFinding } from '../findings.js';
import { externallyAmbiguous, recordAttributes, type KeyView } from './key-view.js';

export function checkConvergence(view: KeyView): NotConvergedFinding[] {
  if (view.ambiguous || externallyAmbiguous(view) || view.heal.length === 0) return [];
  const heal = view.heal[view.heal.length - 1];
  const expected = recordAttributes(heal);
  const actual = view.final.map((e) => e.attributes);
  const base = { code: 'NOT_CONVERGED' as const, key: view.key, expected, actual, ops: [heal.id] };
  if (heal.outcome !== 'ok') {
    return [
      {
        ...base,
        reason: 'heal-failed',
        error: heal.error ? `${heal.error.code ?? heal.error.name}: ${heal.error.message}` : undefined,
        message: `After the faults stopped, upserting key ${view.key} again (op${heal.id}) still failed (${heal.outcome}: ${heal.error?.message ?? 'no error message'}).`,
      },
    ];
  }
  if (view.final.length === 0) {
    return [{ ...base, reason: 'no-entity', message: `op${heal.id} reported success for key ${view.key}, but no live entity carries the key.` }];
  }
  // more than one: the duplicate property reports it
  if (view.final.length > 1) return [];
  const got = view.final[0].attributes;
  // DHIS2 trims values on import
  const wrong = Object.entries(expected).filter(([a, v]) => got[a]?.trim() !== v.trim());
  if (wrong.length === 0) return [];
  return [
    {
      ...base,
      reason: 'values-differ',
      message: `After op${heal.id} succeeded, entity ${view.final[0].uid} has ${wrong.map(([a, v]) => `${a}=${JSON.stringify(got[a] ?? null)} (expected ${JSON.stringify(v)})`).join(', ')}.`,
    },
  ];
}
