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

export interface Program {
  id: string;
  name: string;
  programType: 'WITH_REGISTRATION' | 'WITHOUT_REGISTRATION';
  trackedEntityType?: string;
  onlyEnrollOnce?: boolean;
  displayIncidentDate?: boolean;
  selectEnrollmentDatesInFuture?: boolean;
  organisationUnits: string[];
  programTrackedEntityAttributes: ProgramAttribute[];
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
}

export interface StoredAttributeValue {
  attribute: string;
  value: string;
  created: string;
  lastUpdated: string;
  storedBy?: string;
}

export type EnrollmentStatus = 'ACTIVE' | 'COMPLETED' | 'CANCELLED';

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

/** What a fixture file holds: metadata plus optional initial entities. */
export interface Fixture {
  metadata: Metadata;
  trackedEntities?: StoredEntity[];
  systemName?: string;
}
