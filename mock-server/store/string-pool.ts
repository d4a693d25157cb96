/**
 * One shared string object per distinct value, for the low-cardinality strings every stored entity
 * repeats (attribute and org unit UIDs, the type, usernames). Strings parsed from a --db file or a
 * fixture are separate heap objects even when equal; pooling them is invisible to readers (strings
 * are values) and saves tens of bytes per copy. Bounded, so high-cardinality input cannot grow it
 * without limit: past `limit` distinct strings, new ones are simply not pooled.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly limit = 20_000) {}

  intern(s: string): string {
    const hit = this.pool.get(s);
    if (hit !== undefined) return hit;
    if (this.pool.size < this.limit) this.pool.set(s, s);
    return s;
  }

  clear(): void {
    this.pool.clear();
  }
}
