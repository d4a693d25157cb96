import { emptyFieldTree, type FieldTree } from '../query/index.js';
import { EMBEDDED_KEYS, REFERENCE_KEYS, type EmbeddedType, type MetadataType } from './views.js';

/**
 * Adapts a parsed `fields` tree to a metadata type so that the generic projection (`applyFields`)
 * renders references the way DHIS2's field filter does: a reference selected without a sub-list
 * (`parent`, or any reference under `*`/`:all`) becomes `{id}`; `parent[id,name]` projects the
 * referenced object's view; embedded objects selected whole are rendered whole, with their own
 * references as `{id}` (FieldFilterService: identifiable references are expanded only on request).
 */
export function shapeFieldTree(tree: FieldTree, type: MetadataType | EmbeddedType): FieldTree {
  const out: FieldTree = { all: tree.all, presets: new Set(tree.presets), fields: new Map(tree.fields), excluded: new Set(tree.excluded) };
  for (const [key, target] of Object.entries(REFERENCE_KEYS[type])) {
    if (out.excluded.has(key)) continue;
    if (out.fields.has(key)) {
      const sub = out.fields.get(key) ?? null;
      out.fields.set(key, sub === null ? idOnly() : shapeFieldTree(sub, target));
    } else if (out.all) {
      out.fields.set(key, idOnly());
    }
  }
  const embedded = (EMBEDDED_KEYS as Partial<Record<string, Record<string, EmbeddedType>>>)[type] ?? {};
  for (const [key, target] of Object.entries(embedded)) {
    if (out.excluded.has(key)) continue;
    const named = out.fields.has(key);
    if (!named && !out.all) continue;
    const sub = named ? out.fields.get(key) ?? null : null;
    out.fields.set(key, shapeFieldTree(sub ?? allFields(), target));
  }
  return out;
}

function idOnly(): FieldTree {
  const t = emptyFieldTree();
  t.fields.set('id', null);
  return t;
}

function allFields(): FieldTree {
  const t = emptyFieldTree();
  t.all = true;
  return t;
}
