import { dhis2Date } from '../../store/clock.js';
import type { TrackerImportResult } from './import.js';

export interface JobNotification {
  uid: string;
  level: 'INFO' | 'ERROR';
  category: 'TRACKER_IMPORT_JOB';
  time: string;
  message: string;
  completed: boolean;
  id: string;
}

export interface TrackerJob {
  id: string;
  /** newest first, as DHIS2's Notifier returns them */
  notifications: JobNotification[];
  result?: TrackerImportResult;
}

export interface JobRegistryOptions {
  /** jobs kept; the oldest finished job is dropped beyond this */
  limit?: number;
  clock?: () => number;
  /** mints notification UIDs */
  uid: () => string;
}

/**
 * Async tracker imports (spec §3.1): a job is registered with the response, runs on the event loop
 * once the current request handler has returned (`setImmediate`), and its ImportReport is
 * available only when it is done. Bounded: the map never grows beyond `limit` jobs.
 */
export class TrackerJobRegistry {
  private readonly jobs = new Map<string, TrackerJob>();
  private readonly limit: number;
  private readonly clock: () => number;

  constructor(private readonly opts: JobRegistryOptions) {
    this.limit = opts.limit ?? 1000;
    this.clock = opts.clock ?? Date.now;
  }

  get size(): number {
    return this.jobs.size;
  }

  get(id: string): TrackerJob | undefined {
    return this.jobs.get(id);
  }

  clear(): void {
    this.jobs.clear();
  }

  /** Registers job `id` (started later) and returns it; `run` never rejects the caller. */
  submit(id: string, username: string, run: () => Promise<TrackerImportResult>): TrackerJob {
    const job: TrackerJob = { id, notifications: [] };
    this.jobs.set(id, job);
    this.evict();
    setImmediate(() => {
      this.notify(job, 'INFO', `(${username}) Import:Start`, false);
      const started = this.clock();
      run().then(
        (result) => {
          job.result = result;
          const took = ((this.clock() - started) / 1000).toFixed(3);
          const level = result.outcome === 'exception' ? 'ERROR' : 'INFO';
          this.notify(job, level, `(${username}) Import:Done took ${took} sec.`, true);
        },
        (error: unknown) => {
          job.result = failed(error);
          this.notify(job, 'ERROR', `(${username}) Import:Failed with exception: ${job.result.message}`, true);
        },
      );
    });
    return job;
  }

  private notify(job: TrackerJob, level: JobNotification['level'], message: string, completed: boolean): void {
    job.notifications.unshift({ uid: this.opts.uid(), level, category: 'TRACKER_IMPORT_JOB', time: dhis2Date(this.clock()), message, completed, id: job.id });
  }

  private evict(): void {
    if (this.jobs.size <= this.limit) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= this.limit) break;
      if (job.result) this.jobs.delete(id);
    }
    // every job still running: drop the oldest anyway rather than grow without bound
    while (this.jobs.size > this.limit) this.jobs.delete(this.jobs.keys().next().value!);
  }
}

function failed(error: unknown): TrackerImportResult {
  const none = { created: 0, updated: 0, deleted: 0 };
  return {
    outcome: 'exception',
    message: `Exception:${error instanceof Error ? error.message : String(error)}`,
    errors: [],
    bundleSize: { TRACKED_ENTITY: 0, ENROLLMENT: 0, EVENT: 0, RELATIONSHIP: 0 },
    counts: { TRACKED_ENTITY: { ...none }, ENROLLMENT: { ...none }, EVENT: { ...none }, RELATIONSHIP: { ...none } },
    objects: { TRACKED_ENTITY: [], ENROLLMENT: [], EVENT: [], RELATIONSHIP: [] },
    validateOnly: false,
    timingsMs: { preheat: 0, validation: 0, commit: 0, totalImport: 0 },
  };
}
