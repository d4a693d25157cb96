/**
 * Who moves next inside a concurrent group. The harness's Coordinator parks every request and
 * every commit window and asks a scheduler to release one at a time, at quiescent points; this
 * scheduler (the subset of fast-check's Scheduler the Coordinator calls) decides by the group's
 * policy:
 * - lockstep: the operation that has moved least goes next (ties: the lower operation id). Two
 *   upserts of one key then alternate step by step, so both search before either writes and both
 *   pass the server's uniqueness check before either commits: every check-then-act window opens,
 *   the same way on every run.
 * - random: fast-check's scheduler, seeded from the scenario (replays exactly).
 * - free: nothing is held; real concurrency (and the emulator's seeded race-window delay).
 */
import fc from 'fast-check';

export type InterleavingMode = 'lockstep' | 'random' | 'free';

interface Parked {
  op: number;
  seq: number;
  release: () => void;
}

const OP_LABEL = /^op(\d+)\b/;

export class PolicyScheduler {
  mode: InterleavingMode = 'free';
  private parked: Parked[] = [];
  private seq = 0;
  private readonly moves = new Map<number, number>();
  private seeded?: fc.Scheduler;

  constructor(private readonly seed: number) {}

  private get random(): fc.Scheduler {
    this.seeded ??= fc.sample(fc.scheduler(), { seed: this.seed, numRuns: 1 })[0];
    return this.seeded;
  }

  schedule<T>(task: Promise<T>, label?: string): Promise<T> {
    if (this.mode === 'free') return task;
    if (this.mode === 'random') return this.random.schedule(task, label);
    const op = Number(OP_LABEL.exec(label ?? '')?.[1] ?? Number.MAX_SAFE_INTEGER);
    return new Promise<T>((resolve, reject) => {
      this.parked.push({ op, seq: this.seq++, release: () => task.then(resolve, reject) });
    });
  }

  count(): number {
    if (this.mode === 'random') return this.random.count();
    return this.parked.length;
  }

  /** Releases the next task by the policy; throws when none is parked (as fast-check's does). */
  async waitOne(): Promise<void> {
    if (this.mode === 'random') return this.random.waitOne();
    if (this.parked.length === 0) throw new Error('no task is waiting to be released');
    const movesOf = (p: Parked) => this.moves.get(p.op) ?? 0;
    this.parked.sort((a, b) => movesOf(a) - movesOf(b) || a.op - b.op || a.seq - b.seq);
    const next = this.parked.shift()!;
    this.moves.set(next.op, movesOf(next) + 1);
    next.release();
    await Promise.resolve();
  }

  async waitNext(n: number): Promise<void> {
    if (this.mode === 'random') return this.random.waitNext(n);
    for (let i = 0; i < n && this.parked.length > 0; i++) await this.waitOne();
  }

  async waitAll(): Promise<void> {
    if (this.mode === 'random') return this.random.waitAll();
    while (this.parked.length > 0) await this.waitOne();
  }

  /** Releases everything still parked (a group ended, or the mode changes). */
  flush(): void {
    for (const p of this.parked.splice(0)) p.release();
  }
}
