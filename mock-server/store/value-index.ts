/** (attribute, lower(value)) → UIDs; DHIS2 itself indexes lower(value) (2.37 migration V2_37_2). */
export class ValueIndex {
  private readonly index = new Map<string, Map<string, Set<string>>>();

  add(attribute: string, value: string, uid: string): void {
    let byValue = this.index.get(attribute);
    if (!byValue) this.index.set(attribute, (byValue = new Map()));
    const key = value.toLowerCase();
    let uids = byValue.get(key);
    if (!uids) byValue.set(key, (uids = new Set()));
    uids.add(uid);
  }

  remove(attribute: string, value: string, uid: string): void {
    const byValue = this.index.get(attribute);
    const key = value.toLowerCase();
    const uids = byValue?.get(key);
    if (!uids) return;
    uids.delete(uid);
    if (uids.size === 0) byValue!.delete(key);
  }

  lookup(attribute: string, value: string): string[] {
    const uids = this.index.get(attribute)?.get(value.toLowerCase());
    return uids ? [...uids] : [];
  }

  clear(): void {
    this.index.clear();
  }
}
