/**
 * (attribute, lower(value)) → UIDs; DHIS2 itself indexes lower(value) (2.37 migration V2_37_2).
 * Most keys have one holder (that is what unique attributes are for), so a key maps to the UID
 * itself and only becomes a Set at the second holder: a one-element Set costs ~150 bytes, and at
 * 100,000 entities with several unique values each that is most of the index.
 */
export class ValueIndex {
  private readonly index = new Map<string, Map<string, string | Set<string>>>();

  add(attribute: string, value: string, uid: string): void {
    let byValue = this.index.get(attribute);
    if (!byValue) this.index.set(attribute, (byValue = new Map()));
    const key = lowerKey(value);
    const held = byValue.get(key);
    if (held === undefined) byValue.set(key, uid);
    else if (typeof held === 'string') {
      if (held !== uid) byValue.set(key, new Set([held, uid]));
    } else held.add(uid);
  }

  remove(attribute: string, value: string, uid: string): void {
    const byValue = this.index.get(attribute);
    if (!byValue) return;
    const key = lowerKey(value);
    const held = byValue.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === uid) byValue.delete(key);
      return;
    }
    held.delete(uid);
    if (held.size === 1) byValue.set(key, held.values().next().value!);
    else if (held.size === 0) byValue.delete(key);
  }

  lookup(attribute: string, value: string): string[] {
    const held = this.index.get(attribute)?.get(lowerKey(value));
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : [...held];
  }

  clear(): void {
    this.index.clear();
  }
}

/** The value itself when it has no upper case, so the key shares the stored string. */
function lowerKey(value: string): string {
  const lower = value.toLowerCase();
  return lower === value ? value : lower;
}
