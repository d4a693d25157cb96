/**
 * The emulator's domain model. Metadata mirrors the DHIS2 objects an upsert touches (spec §5);
 * stored entities are API-neutral so the legacy and the tracker routes share one store.
 */

export type ValueType =
  | 'TEXT' | 'LONG_TEXT' | 'LETTER' | 'PHONE_NUMBER' | 'EMAIL' | 'NUMBER' | 'INTEGER' | 'INTEGER_POSITIVE'
  | 'INTEGER_NEGATIVE' | 'INTEGER_ZERO_OR_POSITIVE' | 'PERCENTAGE' | 'UNIT_INTERVAL' | 'BOOLEAN' | 'TRUE_ONLY'
  | 'DATE' | 'DATETIME' | 'TIME' | 'AGE' | 'USERNAME' | 'URL' | 'ORGANISATION_UNIT' | 'COORDINATE';

export interface OrganisationUnit {
  id: string;
  name: string;
  code?: string;
  level: number;
  path: string;
  parent?: string;
  openingDate?: string;
}

export interface TrackedEntityAttribute {
  id: string;
  name: string;
  shortName?: string;
  code?: string;
  valueType: ValueType;
  unique: boolean;
  orgunitScope: boolean;
  generated?: boolean;
  pattern?: string;
  confidential?: boolean;
  optionSet?: string;
}

export interface TypeAttribute {
  id: string;
  trackedEntityAttribute: string;
  mandatory: boolean;
  searchable: boolean;
  displayInList: boolean;
}

export interface TrackedEntityType {
  id: string;
  name: string;
  featureType?: string;
  minAttributesRequiredToSearch?: number;
  maxTeiCountToReturn?: number;
  trackedEntityTypeAttributes: TypeAttribute[];
}

export interface ProgramAttribute extends TypeAttribute {
  sortOrder?: number;
  allowFutureDate?: boolean;
}

/** Who may read and write a tracked entity's data in a program (Program.accessLevel, TrackerOwnershipManager). */
export type AccessLevel = 'OPEN' | 'AUDITED' | 'PROTECTED' | 'CLOSED';

export interface Program {
  id: string;
  name: string;
  programType: 'WITH_REGISTRATION' | 'WITHOUT_REGISTRATION';
  trackedEntityType?: string;
  onlyEnrollOnce?: boolean;
  displayIncidentDate?: boolean;
  selectEnrollmentDatesInFuture?: boolean;
  selectIncidentDatesInFuture?: boolean;
  /** default OPEN: the owner org unit must be in the user's search scope; PROTECTED/CLOSED: capture scope */
  accessLevel?: AccessLevel;
  organisationUnits: string[];
  programTrackedEntityAttributes: ProgramAttribute[];
}

/** A data element of tracker events (domainType TRACKER). */
export interface DataElement {
  id: string;
  name: string;
  shortName?: string;
  code?: string;
  valueType: ValueType;
  optionSet?: string;
}

export interface ProgramStageDataElement {
  id: string;
  dataElement: string;
  /** mandatory: checked as ValidationStrategy says (ON_COMPLETE: only for COMPLETED events) */
  compulsory: boolean;
  allowFutureDate?: boolean;
  sortOrder?: number;
}

export interface ProgramStage {
  id: string;
  name: string;
  program: string;
  /** non-repeatable: at most one (non-deleted) event per enrollment */
  repeatable: boolean;
  sortOrder?: number;
  validationStrategy?: 'ON_COMPLETE' | 'ON_UPDATE_AND_INSERT';
  programStageDataElements: ProgramStageDataElement[];
}

export interface OptionSet {
  id: string;
  name: string;
  valueType: ValueType;
  options: { id: string; code: string; name: string }[];
}

export interface User {
  id: string;
  username: string;
  password: string;
  firstName: string;
  surname: string;
  authorities: string[];
  /** capture scope */
  organisationUnits: string[];
  dataViewOrganisationUnits: string[];
  teiSearchOrganisationUnits: string[];
  apiTokens?: string[];
}

export interface Metadata {
  organisationUnits: OrganisationUnit[];
  trackedEntityAttributes: TrackedEntityAttribute[];
  trackedEntityTypes: TrackedEntityType[];
  programs: Program[];
  optionSets: OptionSet[];
  users: User[];
  /** absent in fixtures written before events existed: no stages, no data elements */
  programStages?: ProgramStage[];
  dataElements?: DataElement[];
}

export interface StoredAttributeValue {
  attribute: string;
  value: string;
  created: string;
  lastUpdated: string;
  storedBy?: string;
}

export type EnrollmentStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED';

/**
 * An enrollment (DHIS2's programinstance row). Stored inside its tracked entity's record, which
 * owns it; the entity store indexes enrollments by UID. Fields added with events are optional so
 * records written before them (fixtures, `--db` files) still load.
 */
export interface StoredEnrollment {
  uid: string;
  program: string;
  orgUnit: string;
  status: EnrollmentStatus;
  enrollmentDate: string;
  incidentDate?: string;
  followup: boolean;
  deleted: boolean;
  created: string;
  lastUpdated: string;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  /** set when the status became COMPLETED or CANCELLED */
  completedAt?: string;
  completedBy?: string;
  storedBy?: string;
}

export type EventStatus = 'ACTIVE' | 'COMPLETED' | 'VISITED' | 'SCHEDULE' | 'OVERDUE' | 'SKIPPED';

export interface StoredDataValue {
  dataElement: string;
  value: string;
  created: string;
  lastUpdated: string;
  storedBy?: string;
  providedElsewhere: boolean;
}

/**
 * An event (DHIS2's programstageinstance / event row): its own table, keyed by UID, indexed by
 * enrollment and by (enrollment, program stage). Soft-deleted events stay, like entities.
 */
export interface StoredEvent {
  uid: string;
  program: string;
  programStage: string;
  enrollment: string;
  trackedEntity: string;
  orgUnit: string;
  status: EventStatus;
  /** eventDate (legacy) / occurredAt (tracker) */
  occurredAt?: string;
  /** dueDate (legacy) / scheduledAt (tracker) */
  scheduledAt?: string;
  completedAt?: string;
  completedBy?: string;
  storedBy?: string;
  followup?: boolean;
  geometry?: unknown;
  deleted: boolean;
  created: string;
  lastUpdated: string;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  dataValues: StoredDataValue[];
}

export interface StoredEntity {
  uid: string;
  trackedEntityType: string;
  orgUnit: string;
  created: string;
  lastUpdated: string;
  createdAtClient?: string;
  lastUpdatedAtClient?: string;
  inactive: boolean;
  deleted: boolean;
  potentialDuplicate: boolean;
  storedBy?: string;
  featureType?: string;
  geometry?: unknown;
  attributes: StoredAttributeValue[];
  enrollments: StoredEnrollment[];
  /** program → owner org unit */
  programOwners: { program: string; orgUnit: string }[];
}

/** What a fixture file holds: metadata plus optional initial entities (their enrollments inside) and events. */
export interface Fixture {
  metadata: Metadata;
  trackedEntities?: StoredEntity[];
  events?: StoredEvent[];
  systemName?: string;
}
