/**
 * A table's most recent commits, newest last, for stale reads (the stale-search fault answers from
 * the state some commits or milliseconds ago). Shared by the entity and the event tables.
 */
const LIMIT = 10_000;
/** trimmed in batches: splicing one commit off a 10,000-element array on every write is a memmove per write */
const SLACK = 1024;

interface Commit<T> {
  uid: string;
  at: number;
  before: T | null;
}

export class RecentCommits<T> {
  private readonly commits: Commit<T>[] = [];

  constructor(private readonly clock: () => number) {}

  push(commit: Commit<T>): void {
    this.commits.push(commit);
    if (this.commits.length >= LIMIT + SLACK) this.commits.splice(0, this.commits.length - LIMIT);
  }

  clear(): void {
    this.commits.length = 0;
  }

  /** The objects that differ from the state `commitsAgo` commits or `msAgo` ms ago: uid → then (null = did not exist). */
  staleOverlay(opts: { commitsAgo?: number; msAgo?: number }): Map<string, T | null> {
    const overlay = new Map<string, T | null>();
    const cutoff = opts.msAgo !== undefined ? this.clock() - opts.msAgo : Infinity;
    const n = opts.commitsAgo ?? 0;
    const oldest = Math.max(0, this.commits.length - LIMIT);
    for (let i = this.commits.length - 1, k = 0; i >= oldest; i--, k++) {
      const c = this.commits[i];
      if (k >= n && c.at <= cutoff) break;
      overlay.set(c.uid, c.before);
    }
    return overlay;
  }
}
