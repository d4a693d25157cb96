import type { SentAttribute } from '../attribute-values.js';
import type { DomainContext } from '../context.js';
import { conflictingHolders, type UniquenessQuery } from '../uniqueness.js';
import { checkValue } from '../value-types.js';
import type { ImportConflict } from './summary.js';

/** A value that makes the legacy import throw (spec §2.4 step 8): the whole request fails. */
export class ImportProcessFailed extends Error {
  readonly code = 'IMPORT_PROCESS_FAILED';
}

/** Values claimed by earlier TEIs of the same request, visible to later ones (Hibernate auto-flush). */
export type PendingClaims = { attribute: string; value: string; uid: string; orgUnit?: string }[];

export interface AttributeCheckResult {
  conflicts: ImportConflict[];
  uniqueChecks: UniquenessQuery[];
}

/**
 * Attribute checks of the legacy create and update paths, in DHIS2's order per attribute: unknown
 * attribute, length, uniqueness (case-insensitive, soft-deleted ignored, exact org unit when
 * orgunitScope), value type (DefaultTrackedEntityAttributeService, AbstractTrackedEntityInstanceService).
 */
export function checkLegacyAttributes(
  ctx: DomainContext,
  sent: readonly SentAttribute[],
  uid: string,
  orgUnit: string | undefined,
  pending: PendingClaims,
): AttributeCheckResult {
  const conflicts: ImportConflict[] = [];
  const uniqueChecks: UniquenessQuery[] = [];
  for (const s of sent) {
    if (s.value === null) continue;
    const attr = ctx.meta.attributes.get(s.attribute);
    if (!attr) {
      conflicts.push({ object: 'Attribute.attribute', value: `Invalid attribute ${s.attribute}` });
      continue;
    }
    const problem = checkValue(ctx.meta, attr, s.value);
    if (problem?.kind === 'tooLong') {
      conflicts.push({ object: 'Attribute.value', value: `Value exceeds the character limit of 1200 characters: '${s.value.slice(0, 25)}...'` });
      continue;
    }
    if (attr.unique && ctx.uniqueness.checks) {
      if (attr.orgunitScope && !orgUnit) throw new ImportProcessFailed('Organisation unit is null');
      const query: UniquenessQuery = { attribute: attr, value: s.value, uid, orgUnit, flavor: 'legacy' };
      const lower = s.value.toLowerCase();
      const claimed = pending.some(
        (p) => p.attribute === attr.id && p.uid !== uid && p.value.toLowerCase() === lower && (!attr.orgunitScope || p.orgUnit === orgUnit),
      );
      if (claimed || conflictingHolders(ctx.store, query).length > 0) {
        conflicts.push({ object: 'Attribute.value', value: `Non-unique attribute value '${s.value}' for attribute ${attr.id}` });
        continue;
      }
      uniqueChecks.push(query);
    }
    if (!problem) continue;
    if (problem.kind === 'saveTime') throw new ImportProcessFailed(problem.message);
    const v30 = s.value.slice(0, 30);
    if (problem.kind === 'option') {
      conflicts.push({ object: 'Attribute.value', value: `Value '${s.value}' is not a valid option for attribute ${attr.id} and option set ${problem.optionSet}` });
    } else if (problem.legacyWord === 'length') {
      conflicts.push({ object: 'Attribute.value', value: `Value length is greater than 50000 chars for attribute ${attr.id}` });
    } else if (problem.legacyWord.startsWith('valid ')) {
      conflicts.push({ object: 'Attribute.value', value: `Value '${v30}' is not a ${problem.legacyWord} for attribute ${attr.id}` });
    } else if (problem.legacyWord.startsWith('true')) {
      conflicts.push({ object: 'Attribute.value', value: `Value '${v30}' is not ${problem.legacyWord} for attribute ${attr.id}` });
    } else {
      conflicts.push({ object: 'Attribute.value', value: `Value '${v30}' is not a valid ${problem.legacyWord} for attribute ${attr.id}` });
    }
  }
  return { conflicts, uniqueChecks };
}

export function claim(pending: PendingClaims, ctx: DomainContext, sent: readonly SentAttribute[], uid: string, orgUnit?: string): void {
  for (const s of sent) {
    if (s.value !== null && ctx.meta.attributes.get(s.attribute)?.unique) pending.push({ attribute: s.attribute, value: s.value, uid, orgUnit });
  }
}
