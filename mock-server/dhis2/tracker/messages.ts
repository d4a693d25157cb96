import type { Dhis2Version } from '../versions.js';

/**
 * The tracker validation codes an upsert meets (spec §3.5) with each version's wording. Sources:
 * tracker/report/TrackerErrorCode.java (2.36–2.39), tracker/validation/ValidationCode.java (2.40),
 * tracker/imports/validation/ValidationCode.java (2.41+). A variant applies from its version on
 * (`2.42.1` compares the patch too); the last applicable variant wins.
 */
export type TrackerCode =
  | 'E1000' | 'E1002' | 'E1003' | 'E1005' | 'E1006' | 'E1007' | 'E1010' | 'E1011' | 'E1013' | 'E1014' | 'E1015'
  | 'E1016' | 'E1018' | 'E1019' | 'E1020' | 'E1021' | 'E1022' | 'E1023' | 'E1025' | 'E1029' | 'E1030' | 'E1031'
  | 'E1032' | 'E1033' | 'E1039' | 'E1041' | 'E1048' | 'E1049' | 'E1050' | 'E1063' | 'E1064' | 'E1068' | 'E1069'
  | 'E1070' | 'E1076' | 'E1077' | 'E1079' | 'E1080' | 'E1081' | 'E1082' | 'E1083' | 'E1085' | 'E1089' | 'E1090'
  | 'E1100' | 'E1102' | 'E1103' | 'E1113' | 'E1114' | 'E1121' | 'E1122' | 'E1123' | 'E1125' | 'E1126' | 'E1127' | 'E1128'
  | 'E1302' | 'E1303' | 'E1304' | 'E1305' | 'E5000';

type Variant = [from: string, template: string];

const TE_2_41 = (older: string, newer: string): Variant[] => [['2.36', older], ['2.41', newer]];

/**
 * The enrollment and event codes: 2.36–2.40 wording from tracker/report/TrackerErrorCode.java
 * (2.38/2.39) and tracker/validation/ValidationCode.java (2.40), identical for these codes; the
 * 2.42.1 wording (no comma after the UID) from a later imports/validation/ValidationCode.java,
 * dated like the E1006/E1064 clean-up (spec §3.5; the exact release of each change is inferred).
 */
const LATER = (older: string, from242: string, from241?: string): Variant[] =>
  from241 ? [['2.36', older], ['2.41', from241], ['2.42.1', from242]] : [['2.36', older], ['2.42.1', from242]];

export const TRACKER_MESSAGES: Record<TrackerCode, Variant[]> = {
  E1003: [
    ['2.36', 'OrganisationUnit: `{0}` of TrackedEntity is outside search scope of User: `{1}`.'],
    // 2.41 checks write access to the entity instead (TrackerAccessManager.canWrite; inferred release)
    ['2.41', 'User: `{0}`, has no write access to TrackedEntity: `{1}`.'],
    ['2.42.1', 'User: `{0}` has no write access to TrackedEntity: `{1}`.'],
  ],
  E1010: [['2.36', 'Could not find Program: `{0}`, linked to Event.']],
  E1011: [['2.36', 'Could not find OrganisationUnit: `{0}`, linked to Event.']],
  E1013: [['2.36', 'Could not find ProgramStage: `{0}`, linked to Event.']],
  // MessageFormat drops the apostrophe of "don't" (as in E1041)
  E1029: LATER("Event OrganisationUnit: `{0}`, and Program: `{1}`, don't match.", 'Event OrganisationUnit: `{0}` and Program: `{1}`, do not match.'),
  E1030: LATER('Event: `{0}`, already exists.', 'Event: `{0}` already exists.'),
  E1031: LATER('Event OccurredAt date is missing.', 'Event occurredAt date is missing.'),
  E1032: LATER('Event: `{0}`, do not exist.', 'Event: `{0}` do not exist.'),
  E1033: LATER('Event: `{0}`, Enrollment value is null.', 'Event: `{0}` Enrollment value is null.'),
  E1039: LATER('ProgramStage: `{0}`, is not repeatable and an event already exists.', 'ProgramStage: `{0}` is not repeatable and an event already exists.'),
  E1050: [['2.36', 'Event ScheduledAt date is missing.']],
  E1079: LATER(
    'Event: `{0}`, program: `{1}` is different from program defined in enrollment `{2}`.',
    'Event: `{0}` program: `{1}` is different from Program defined in Enrollment `{2}`.',
  ),
  E1082: LATER('Event: `{0}`, is already deleted and cannot be modified.', 'Event: `{0}` is already deleted and cannot be modified.'),
  E1083: LATER('User: `{0}`, is not authorized to modify completed events.', 'User: `{0}` is not authorized to update completed events.'),
  E1089: LATER(
    'Event: `{0}`, references a Program Stage `{1}` that does not belong to Program `{2}`.',
    'Event: `{0}` references ProgramStage `{1}` which do not belong to Program `{2}`.',
  ),
  E1102: LATER(
    'User: `{0}`, does not have access to the tracked entity: `{1}`, Program: `{2}`, combination.',
    'User: `{0}` does not have access to the tracked entity: `{1}` and Program: `{2}`.',
  ),
  // The quotes around the authority are MessageFormat quotes (dropped), as in E1100.
  E1103: LATER(
    "User: `{0}`, is lacking 'F_ENROLLMENT_CASCADE_DELETE' authority to delete Enrollment : `{1}`.",
    "User: `{0}` lacks 'F_ENROLLMENT_CASCADE_DELETE' authority to delete Enrollment : `{1}`.",
  ),
  E1123: [['2.36', 'Missing required event property: `{0}`.']],
  E1127: LATER('Not allowed to update Enrollment property: {0}.', 'Not allowed to update enrollment property: {0}.'),
  E1128: LATER('Not allowed to update Event property: {0}.', 'Not allowed to update event property: {0}.'),
  E1302: LATER('DataElement `{0}` is not valid: `{1}`', 'DataElement `{0}` is not valid: `{1}`.'),
  E1303: LATER('Mandatory DataElement `{0}` is not present', 'Mandatory DataElement `{0}` is not present.'),
  E1304: LATER('DataElement `{0}` is not a valid data element', 'DataElement `{0}` is not a valid data element.'),
  E1305: LATER('DataElement `{0}` is not part of `{1}` program stage', 'DataElement `{0}` is not part of ProgramStage `{1}`.'),
  E1000: [
    ['2.36', 'User: `{0}`, has no write access to OrganisationUnit: `{1}`.'],
    ['2.42', 'User: `{0}` has no capture scope access to OrganisationUnit: `{1}`.'],
  ],
  E1002: TE_2_41('TrackedEntityInstance: `{0}`, already exists.', 'TrackedEntity: `{0}`, already exists.'),
  E1005: [['2.36', 'Could not find TrackedEntityType: `{0}`.']],
  E1006: [
    ['2.36', 'Attribute: `{0}`, does not exist.'],
    ['2.42.1', 'Attribute: `{0}` does not exist.'],
  ],
  E1007: [['2.36', 'Error validating attribute value type: `{0}`; Error: `{1}`.']],
  E1014: [['2.36', 'Provided Program: `{0}`, is a Program without registration. An Enrollment cannot be created into Program without registration.']],
  E1015: LATER(
    'TrackedEntityInstance: `{0}`, already has an active Enrollment in Program `{1}`.',
    'TrackedEntity: `{0}` already has an active Enrollment in Program `{1}`.',
    'TrackedEntity: `{0}`, already has an active Enrollment in Program `{1}`.',
  ),
  E1016: LATER(
    'TrackedEntityInstance: `{0}`, already has an enrollment in Program: `{1}`, and this program only allows enrolling one time.',
    'TrackedEntity: `{0}` already has an enrollment in Program: `{1}`, and this program only allows enrolling once.',
    'TrackedEntity: `{0}`, already has an enrollment in Program: `{1}`, and this program only allows enrolling one time.',
  ),
  E1018: LATER('Attribute: `{0}`, is mandatory in program `{1}` but not declared in enrollment `{2}`.', 'Attribute: `{0}` is mandatory in program `{1}` but not declared in Enrollment `{2}`.'),
  E1019: LATER('Only Program attributes is allowed for enrollment; Non valid attribute: `{0}`.', 'Only ProgramAttributes are allowed for enrollment, invalid Attribute: `{0}`.'),
  E1020: LATER('Enrollment date: `{0}`, cannot be a future date.', 'Enrollment date: `{0}` cannot be a future date.'),
  E1021: LATER('Incident date: `{0}`, cannot be a future date.', 'Incident date: `{0}` cannot be a future date.'),
  E1022: LATER(
    'TrackedEntityInstance: `{0}`, must have same TrackedEntityType as Program `{1}`.',
    'TrackedEntity: `{0}` must have same TrackedEntityType as Program `{1}`.',
    'TrackedEntity: `{0}`, must have same TrackedEntityType as Program `{1}`.',
  ),
  // 2.42 types the dates, so an unreadable one fails JSON parsing and only "null" is left to say
  E1023: LATER('DisplayIncidentDate is true but property occurredAt is null or has an invalid format: `{0}`.', 'DisplayIncidentDate is true but occurredAt is null.'),
  E1025: LATER('Property enrolledAt is null or has an invalid format: `{0}`.', 'Property enrolledAt is null.'),
  // The apostrophe starts a MessageFormat quote, so DHIS2 renders "dont match." (kept on purpose).
  E1041: LATER("Enrollment OrganisationUnit: `{0}`, and Program: `{1}`, don't match.", 'Enrollment OrganisationUnit: `{0}` and Program: `{1}` do not match.'),
  E1048: [['2.36', 'Object: `{0}`, uid: `{1}`, has an invalid uid format.']],
  E1049: [
    ['2.36', 'Could not find OrganisationUnit: `{0}`, linked to Tracked Entity.'],
    ['2.42.1', 'Could not find OrganisationUnit: `{0}` linked to TrackedEntity.'],
  ],
  E1063: TE_2_41('TrackedEntityInstance: `{0}`, does not exist.', 'TrackedEntity: `{0}`, does not exist.'),
  E1064: [
    ['2.36', 'Non-unique attribute value `{0}` for attribute `{1}`'],
    ['2.42.1', 'Non-unique attribute value `{0}` for attribute `{1}`.'],
  ],
  E1068: LATER(
    'Could not find TrackedEntityInstance: `{0}`, linked to Enrollment.',
    'Could not find TrackedEntity: `{0}` linked to Enrollment.',
    'Could not find TrackedEntity: `{0}`, linked to Enrollment.',
  ),
  E1069: LATER('Could not find Program: `{0}`, linked to Enrollment.', 'Could not find Program: `{0}` linked to Enrollment.'),
  E1070: LATER('Could not find OrganisationUnit: `{0}`, linked to Enrollment.', 'Could not find OrganisationUnit: `{0}` linked to Enrollment.'),
  E1076: [['2.36', '`{0}` `{1}` is mandatory and cannot be null']],
  // `{0}` twice is DHIS2's own placeholder bug: the value is printed where the limit should be.
  E1077: [['2.36', 'Attribute: `{0}`, text value exceed the maximum allowed length: `{0}`.']],
  E1080: LATER('Enrollment: `{0}`, already exists.', 'Enrollment: `{0}` already exists.'),
  E1081: LATER('Enrollment: `{0}`, do not exist.', 'Enrollment: `{0}` do not exist.'),
  E1085: [['2.36', 'Attribute: `{0}`, value does not match value type: `{1}`.']],
  E1090: [['2.36', 'Attribute: `{0}`, is mandatory in tracked entity type `{1}` but not declared in tracked entity `{2}`.']],
  // The quotes around the authority are MessageFormat quotes: DHIS2 prints the name without them.
  E1100: [['2.36', "User: `{0}`, is lacking 'F_TEI_CASCADE_DELETE' authority to delete TrackedEntityInstance: `{1}`."]],
  E1113: LATER('Enrollment: `{0}`, is already deleted and cannot be modified.', 'Enrollment: `{0}` is already deleted and cannot be modified.'),
  E1114: [
    // 2.36 "can't": MessageFormat swallows the apostrophe ("cant be modified.")
    ['2.36', "TrackedEntity: `{0}`, is already deleted and can't be modified."],
    ['2.37', 'TrackedEntity: `{0}`, is already deleted and cannot be modified.'],
    ['2.42.1', 'TrackedEntity: `{0}` is already deleted and cannot be modified.'],
  ],
  E1121: [
    ['2.36', 'Missing required tracked entity property: `{0}`.'],
    ['2.40', 'Missing required trackedEntity property: `{0}`.'],
  ],
  E1122: [['2.36', 'Missing required enrollment property: `{0}`.']],
  E1125: [
    ['2.36', 'Value {0} is not a valid option for {1} {2} in option set {3}'],
    ['2.41', 'Value `{0}` is not a valid option code in option set `{1}`'],
  ],
  E1126: [['2.37', 'Not allowed to update Tracked Entity property: {0}.']],
  E5000: [['2.40', '"{0}" `{1}` cannot be persisted because "{2}" `{3}` referenced by it cannot be persisted.']],
};

/** The template DHIS2 uses for `code` in `version`. */
export function trackerTemplate(version: Dhis2Version, code: TrackerCode): string {
  let chosen = TRACKER_MESSAGES[code][0][1];
  for (const [from, template] of TRACKER_MESSAGES[code]) if (version.atLeast(from)) chosen = template;
  return chosen;
}

export function trackerMessage(version: Dhis2Version, code: TrackerCode, args: readonly string[]): string {
  return javaMessageFormat(trackerTemplate(version, code), args);
}

/**
 * `java.text.MessageFormat.format` for string arguments: `{n}` is replaced, `''` is a literal
 * apostrophe, and a single `'` quotes everything up to the next one (or to the end), dropping the
 * quote characters. DHIS2 formats every tracker message this way, quirks included.
 */
export function javaMessageFormat(template: string, args: readonly string[]): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "'") {
      if (template[i + 1] === "'") {
        out += "'";
        i++;
      } else {
        quoted = !quoted;
      }
      continue;
    }
    if (!quoted && c === '{') {
      const close = template.indexOf('}', i);
      const index = close > i ? Number(template.slice(i + 1, close)) : NaN;
      if (Number.isInteger(index)) {
        out += index < args.length ? args[index] : `{${index}}`;
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}
