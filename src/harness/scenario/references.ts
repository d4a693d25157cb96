/**
 * Cross-references a JSON Schema cannot express (a step names a record that exists, an alias
 * names a real attribute), checked as a zod refinement so they are reported exactly like schema
 * errors: file, JSON path, what was expected.
 */
import type { z } from 'zod';
import { references } from '../../reference/index.js';
import { buildCatalog } from './catalog.js';
import { matchRef } from './resolve.js';
import type { Scenario } from './schema.js';

type Ctx = z.core.$RefinementCtx<Scenario>;
type Path = (string | number)[];

export function checkReferences(s: Scenario, ctx: Ctx): void {
  const issue = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const catalog = buildCatalog(s);
  const attributes = (values: Record<string, unknown>, path: Path) => {
    for (const ref of Object.keys(values)) {
      if (!catalog.attribute(ref)) issue([...path, ref], `unknown attribute "${ref}": expected a demo alias (nationalId, firstName, …), an attribute code or a UID from the fixture`);
    }
  };
  const orgUnit = (ref: string | undefined, path: Path) => {
    if (ref !== undefined && !catalog.orgUnit(ref)) issue(path, `unknown org unit "${ref}": expected a demo alias (ngelehun, njandama, kamaranka, …), a code or a UID from the fixture`);
  };
  const type = (ref: string | undefined, path: Path) => {
    if (ref !== undefined && !catalog.trackedEntityType(ref)) issue(path, `unknown tracked entity type "${ref}": expected "person" or a type UID`);
  };

  s.fixture?.organisationUnits.forEach((ou, i) => orgUnit(ou.parent, ['fixture', 'organisationUnits', i, 'parent']));
  for (const [name, r] of Object.entries(s.records)) {
    const base: Path = ['records', name];
    if (Object.keys(r.attributes).length === 0) issue([...base, 'attributes'], 'a record needs at least its key attribute');
    attributes(r.attributes, [...base, 'attributes']);
    orgUnit(r.orgUnit, [...base, 'orgUnit']);
    type(r.trackedEntityType, [...base, 'trackedEntityType']);
    const match = matchRef(r);
    if (match !== undefined && r.match !== undefined && !catalog.attribute(match)) issue([...base, 'match'], `unknown attribute "${match}"`);
    const matchId = match !== undefined ? catalog.attribute(match)?.id : undefined;
    const hasKey = Object.entries(r.attributes).some(([ref, v]) => catalog.attribute(ref)?.id === matchId && v !== null && String(v).trim() !== '');
    if (matchId && !hasKey) issue([...base, 'attributes'], `the key attribute "${match}" needs a value in attributes`);
    r.enrollments?.forEach((en, i) => {
      const at: Path = [...base, 'enrollments', i];
      if (!catalog.program(en.program)) issue([...at, 'program'], `unknown program "${en.program}": expected childProgramme, tbProgram or a program UID`);
      orgUnit(en.orgUnit, [...at, 'orgUnit']);
      en.events.forEach((ev, j) => {
        if (!catalog.programStage(ev.programStage)) issue([...at, 'events', j, 'programStage'], `unknown program stage "${ev.programStage}": expected birth, babyPostnatal, tbVisit or a stage UID`);
        orgUnit(ev.orgUnit, [...at, 'events', j, 'orgUnit']);
        for (const ref of Object.keys(ev.dataValues)) {
          if (!catalog.dataElement(ref)) issue([...at, 'events', j, 'dataValues', ref], `unknown data element "${ref}": expected a demo alias (birthWeight, infantWeight, …), a code or a UID`);
        }
      });
    });
  }
  s.entities.forEach((e, i) => {
    attributes(e.attributes, ['entities', i, 'attributes']);
    orgUnit(e.orgUnit, ['entities', i, 'orgUnit']);
    type(e.trackedEntityType, ['entities', i, 'trackedEntityType']);
  });
  const ids = new Set(s.entities.map((e) => e.id).filter((x): x is string => !!x));
  const upsertName = (name: string, path: Path) => {
    if (!(name in s.records)) issue(path, `no record named "${name}": expected one of ${Object.keys(s.records).map((k) => `"${k}"`).join(', ') || '(none defined)'}`);
  };
  s.operations.forEach((st, i) => {
    if ('upsert' in st) upsertName(st.upsert, ['operations', i, 'upsert']);
    if ('concurrent' in st) st.concurrent.forEach((m, j) => upsertName(m.upsert, ['operations', i, 'concurrent', j, 'upsert']));
  });
  s.expect.final.forEach((f, i) => {
    if ('record' in f) upsertName(f.record, ['expect', 'final', i, 'record']);
    if ('entity' in f && !ids.has(f.entity)) issue(['expect', 'final', i, 'entity'], `no entity with id "${f.entity}" in "entities"`);
    if (f.attributes) attributes(f.attributes, ['expect', 'final', i, 'attributes']);
    orgUnit(f.orgUnit, ['expect', 'final', i, 'orgUnit']);
  });
  s.implementations.forEach((entry, i) => {
    const spec = typeof entry === 'string' ? entry : entry.use;
    const name = spec.startsWith('reference:') ? spec.slice('reference:'.length) : undefined;
    if (name !== undefined && !(name in references)) {
      issue(['implementations', i, ...(typeof entry === 'string' ? [] : ['use'])], `unknown reference "${name}": expected one of ${Object.keys(references).join(', ')}`);
    }
  });
}
