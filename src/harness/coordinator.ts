/**
 * Drives interleavings with fast-check's scheduler. Every request a lane (a simulated job run, or
 * the other system) sends and every commit window the emulator opens becomes a scheduled task; the
 * coordinator releases one task at a time, and only when the system is quiescent: every running
 * lane is parked at a task (nothing is in flight on the network, inside the server, or between two
 * operations of one lane). So which lane moves next is the scheduler's choice alone, and the same
 * choices replay the same run, over real HTTP.
 */
import type { TaskScheduler } from './fifo-scheduler.js';

/** A replayed interleaving does not fit the run (the implementation or the emulator changed). */
export class SchedulerDivergedError extends Error {
  readonly code = 'SCHEDULER_DIVERGED';
}

interface LaneTrack {
  /** requests that arrived and have not finished */
  outstanding: number;
  /** of those, parked at a scheduled task */
  blocked: number;
}

export class Coordinator {
  private readonly running = new Map<number, LaneTrack>();
  private releases = 0;
  private listeners: (() => void)[] = [];
  /** labels of released tasks, in order */
  readonly interleaving: string[] = [];
  /** times the coordinator had to move on without quiescence (the run may not replay exactly) */
  stalls = 0;

  constructor(
    readonly scheduler: TaskScheduler | undefined,
    /** how long to wait for quiescence before releasing anyway */
    private readonly stallMs = 10_000,
  ) {}

  get scheduled(): boolean {
    return this.scheduler !== undefined;
  }

  /** A lane runs from its first operation of a round to its last (not per operation: between two of
   * its operations the lane is busy, so nothing else is released before its next request parks). */
  laneStarted(lane: number): void {
    this.running.set(lane, { outstanding: 0, blocked: 0 });
    this.notify();
  }

  laneDone(lane: number): void {
    this.running.delete(lane);
    this.notify();
  }

  requestArrived(lane: number | undefined): void {
    const t = lane === undefined ? undefined : this.running.get(lane);
    if (t) t.outstanding++;
    this.notify();
  }

  requestFinished(lane: number | undefined): void {
    const t = lane === undefined ? undefined : this.running.get(lane);
    if (t) t.outstanding = Math.max(0, t.outstanding - 1);
    this.notify();
  }

  /** Parks the caller until the scheduler releases it (immediately when unscheduled). */
  async gate(lane: number | undefined, label: string): Promise<void> {
    const t = lane === undefined ? undefined : this.running.get(lane);
    if (!this.scheduler || !t) return;
    t.blocked++;
    this.notify();
    try {
      await this.scheduler.schedule(Promise.resolve(), label);
    } finally {
      t.blocked--;
      this.releases++;
      this.interleaving.push(label);
      this.notify();
    }
  }

  /** Every running lane waits at a task. */
  quiescent(): boolean {
    for (const t of this.running.values()) if (t.outstanding === 0 || t.blocked < t.outstanding) return false;
    return true;
  }

  /** True once `lane` is parked or finished: used to start a round's lanes in a fixed order. */
  settled(lane: number): boolean {
    const t = this.running.get(lane);
    return !t || (t.outstanding > 0 && t.blocked === t.outstanding);
  }

  /** Resolves true when `pred` holds, false after `ms` without it. */
  until(pred: () => boolean, ms = this.stallMs): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        cleanup();
        resolve(true);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(false);
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
    });
  }

  /** Releases tasks one at a time, at quiescent points, until `done` settles. */
  async drive(done: Promise<unknown>): Promise<void> {
    const s = this.scheduler;
    let finished = false;
    void done.finally(() => {
      finished = true;
      this.notify();
    });
    if (!s) return void (await done.catch(() => undefined));
    for (;;) {
      const calm = await this.until(() => finished || this.quiescent());
      if (finished) return;
      if (s.count() === 0) {
        // quiescent yet nothing parked: only possible for requests outside our gates
        if (!(await this.until(() => finished || s.count() > 0))) this.stalls++;
        continue;
      }
      if (!calm) this.stalls++;
      const before = this.releases;
      try {
        // waitOne, not waitNext: it throws when the scheduler has no valid choice (a replayed
        // ordering that no longer fits the run) instead of waiting forever
        await s.waitOne();
      } catch (e) {
        throw new SchedulerDivergedError(`The scheduler could not choose the next task (${(e as Error).message}); the run no longer matches the recorded interleaving.`);
      }
      await this.until(() => finished || this.releases > before);
    }
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
