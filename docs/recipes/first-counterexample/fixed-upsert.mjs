// upsert.mjs, fixed: the package's upsert core (search first on every attempt, a deterministic
// UID for creates, safe retries, refusal to choose between duplicates).
import { clientFor, upsertTrackedEntity } from 'dhis2-upsert-harness';

export default (record, ctx) => upsertTrackedEntity(clientFor(ctx), record, { signal: ctx.signal });
