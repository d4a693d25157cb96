import type { OrderTerm } from '../dhis2/query/index.js';
import type { StoredEntity } from '../dhis2/types.js';

/** The value an `order` term sorts a stored entity by, for both list endpoints. */
export function entityOrderValue(e: StoredEntity, term: OrderTerm): unknown {
  if (term.kind === 'attribute') return e.attributes.find((a) => a.attribute === term.property)?.value;
  switch (term.property) {
    case 'created': return e.created;
    case 'lastUpdated': return e.lastUpdated;
    case 'trackedEntity': return e.uid;
    case 'orgUnit': return e.orgUnit;
    case 'inactive': return e.inactive;
    case 'createdAtClient': return e.createdAtClient;
    case 'updatedAtClient': return e.lastUpdatedAtClient;
    case 'enrolledAt': return e.enrollments.find((en) => !en.deleted)?.enrollmentDate;
    default: return undefined;
  }
}
