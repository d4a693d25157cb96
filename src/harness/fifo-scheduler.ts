/**
 * The "everyone takes turns" interleaving: always release the oldest parked task. Operations then
 * advance in lockstep (all search, then all write, then all commit), which is the schedule that
 * opens every check-then-act window at once; minimisation tries it first for each smaller story.
 * It numbers tasks in scheduling order like fast-check's scheduler, so `fc.schedulerFor` replays it.
 */
import type fc from 'fast-check';

/** The part of fast-check's Scheduler the coordinator uses. */
export type TaskScheduler = Pick<fc.Scheduler, 'schedule' | 'count' | 'waitOne' | 'report'>;

export function fifoScheduler(): TaskScheduler {
  let lastId = 0;
  const pending: { id: number; label: string; release: () => void }[] = [];
  const done: fc.SchedulerReportItem[] = [];
  return {
    schedule<T>(task: Promise<T>, label = ''): Promise<T> {
      const id = ++lastId;
      return new Promise<T>((resolve, reject) => {
        pending.push({
          id,
          label,
          release: () => {
            done.push({ status: 'resolved', schedulingType: 'promise', taskId: id, label } as fc.SchedulerReportItem);
            task.then(resolve, reject);
          },
        });
      });
    },
    count: () => pending.length,
    async waitOne() {
      const next = pending.shift();
      if (!next) throw new Error('No task scheduled');
      next.release();
    },
    report: () => [...done, ...pending.map((p) => ({ status: 'pending', schedulingType: 'promise', taskId: p.id, label: p.label }) as fc.SchedulerReportItem)],
  };
}
