// Deterministic synthetic tracked entities for the benches: the demo fixture's Person type with
// five attributes each (National ID unique, first/last name, date of birth, phone).
const IDS = {
  type: 'nEenWmSyUEp',
  nationalId: 'lZGmxYbs97q',
  firstName: 'w75KJ2mc4zz',
  lastName: 'zDhUuAYrxNC',
  dateOfBirth: 'iESIqZ0R0R0',
  phone: 'P2cwLGskgxn',
  orgUnits: ['DiszpKrYNg8', 'g8upMTyEZGZ', 'DmaLM8WYmWv', 'vELbGdEphPd'],
};
export const BENCH_IDS = IDS;

const FIRST = ['Aminata', 'Mohamed', 'Fatmata', 'Ibrahim', 'Isatu', 'Abdul', 'Mariama', 'Sorie'];
const LAST = ['Kamara', 'Sesay', 'Koroma', 'Bangura', 'Conteh', 'Turay', 'Kanu', 'Jalloh'];

/** A valid DHIS2 UID (letter + 10 alphanumerics) unique per index. */
export function benchUid(i) {
  return `B${i.toString(36).padStart(10, '0')}`;
}

export function nationalId(i) {
  return `NID-${String(i).padStart(7, '0')}`;
}

/**
 * The i-th entity as the store holds it. Built through JSON text so that every string is a
 * separate heap object, as when the state is loaded from a `--db` file or a fixture.
 */
export function storedEntityJson(i) {
  const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 23);
  const attr = (attribute, value) => ({ attribute, value, created: at, lastUpdated: at, storedBy: 'admin' });
  return JSON.stringify({
    uid: benchUid(i),
    trackedEntityType: IDS.type,
    orgUnit: IDS.orgUnits[i % IDS.orgUnits.length],
    created: at,
    lastUpdated: at,
    inactive: false,
    deleted: false,
    potentialDuplicate: false,
    storedBy: 'admin',
    attributes: [
      attr(IDS.nationalId, nationalId(i)),
      attr(IDS.firstName, FIRST[i % FIRST.length]),
      attr(IDS.lastName, LAST[(i >> 3) % LAST.length]),
      attr(IDS.dateOfBirth, `19${String(50 + (i % 50))}-0${1 + (i % 9)}-1${i % 10}`),
      attr(IDS.phone, `+232${String(70000000 + i)}`),
    ],
    enrollments: [],
    programOwners: [],
  });
}

/** `count` entities, parsed one by one (no giant intermediate string). */
export function* storedEntities(count) {
  for (let i = 0; i < count; i++) yield JSON.parse(storedEntityJson(i));
}

/** The same people as flat json-server records. */
export function flatRecord(i) {
  const e = JSON.parse(storedEntityJson(i));
  const v = (id) => e.attributes.find((a) => a.attribute === id).value;
  return {
    id: e.uid, orgUnit: e.orgUnit, nationalId: v(IDS.nationalId), firstName: v(IDS.firstName),
    lastName: v(IDS.lastName), dateOfBirth: v(IDS.dateOfBirth), phone: v(IDS.phone),
  };
}

/** A legacy create body for a fresh person (key `NEW-<tag>-<n>`). */
export function createBody(tag, n) {
  return JSON.stringify({
    trackedEntityType: IDS.type,
    orgUnit: IDS.orgUnits[n % IDS.orgUnits.length],
    attributes: [
      { attribute: IDS.nationalId, value: `NEW-${tag}-${n}` },
      { attribute: IDS.firstName, value: FIRST[n % FIRST.length] },
      { attribute: IDS.lastName, value: LAST[n % LAST.length] },
      { attribute: IDS.dateOfBirth, value: '1990-01-01' },
      { attribute: IDS.phone, value: `+2327${n}` },
    ],
  });
}
