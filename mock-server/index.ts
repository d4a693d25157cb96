/** The emulator's public API: `import { createMockDhis2 } from 'dhis2-upsert-harness/mock-server'`. */
export { createMockDhis2, type MockDhis2, type CreateMockOptions } from './mock.js';
export { demoFixture, DEMO_IDS, ADMIN_API_TOKEN } from './fixtures/demo.js';
export type { Fixture, Metadata, StoredEntity, StoredEnrollment, StoredEvent, StoredDataValue } from './dhis2/types.js';
export type { EnrollmentRow } from './dhis2/enrollments/rows.js';
export type { UniquenessMode, RaceWindowHook, RaceWindowInfo } from './dhis2/uniqueness.js';
export type { InvariantReport, DuplicateGroup, SoftDeletedGroup, DuplicateEnrollmentGroup, DuplicateEventGroup } from './dhis2/invariants.js';
export type { JournalEntry, JournalQuery, JournalView, RequestEntry, ResponseEntry, CommitEntry, DataValueChange, FaultEntry } from './journal.js';
export { FAULT_KINDS, InvalidFaultPlanError, parseFaultPlan, type FaultKind, type FaultPlan, type FaultPlanInput, type FaultRule } from './faults/index.js';
export { InvalidOptionsError } from './config.js';
export type { UnhandledRequest } from './unhandled.js';
export { DbFolderError, DbLockedError, DbWriteError, PersistenceError } from './store/db-errors.js';
