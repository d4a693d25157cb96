/**
 * upsertMany's child phase: a record with enrollments is settled only after its enrollments and
 * events, which go through the single-record child path (children/index.ts) once the bulk phase
 * resolved its entity, one record at a time under that record's single-flight key. (One tracker
 * payload for many records' children is not done yet: a lost batch would need the same per-object
 * recovery anyway.)
 */
import type { Dhis2Client } from '../client/dhis2-client.js';
import type { CountingHttp } from './api/http.js';
import type { ApiKind } from './api/types.js';
import type { EnrollmentResult, EventResult } from './children/types.js';
import { mapPool } from './pool.js';
import type { ValidEnrollment } from './record-enrollments.js';
import type { ValidRecord } from './record.js';
import { singleFlight } from './single-flight.js';
import { flightKeyOf, type UpsertAction, type UpsertOptions, type validateOptions, withChildren } from './upsert.js';

export type EntityOutcome = { uid: string; action: UpsertAction; enrollments?: EnrollmentResult[]; events?: EventResult[] } | { error: Error };
export type Settle = (indices: readonly number[], outcome: EntityOutcome) => void;

/** Records with the same key are one upsert: their enrollments are all applied, in input order. */
export function concatEnrollments(a: readonly ValidEnrollment[] | undefined, b: readonly ValidEnrollment[] | undefined): ValidEnrollment[] | undefined {
  if (!a && !b) return undefined;
  return [...(a ?? []), ...(b ?? [])];
}

export class ChildPhase {
  private readonly deferred: { record: ValidRecord; indices: readonly number[]; uid: string; action: UpsertAction }[] = [];

  constructor(
    private readonly settle: Settle,
    private readonly recordOf: (index: number) => ValidRecord | undefined,
  ) {}

  /** settle for the entity phase: records with enrollments wait for run() */
  readonly settleEntity: Settle = (indices, outcome) => {
    const record = indices.length > 0 ? this.recordOf(indices[0]) : undefined;
    if ('error' in outcome || !record?.enrollments?.length) return this.settle(indices, outcome);
    this.deferred.push({ record, indices, uid: outcome.uid, action: outcome.action });
  };

  async run(client: Dhis2Client, http: CountingHttp, kind: ApiKind, options: UpsertOptions, opts: ReturnType<typeof validateOptions>, concurrency: number): Promise<void> {
    await mapPool(this.deferred, concurrency, async (d) => {
      try {
        const entity = { uid: d.uid, action: d.action, attempts: 0, requests: 0, api: kind };
        const r = await singleFlight(flightKeyOf(client, d.record), () => withChildren(http, d.record, entity, options, opts), options.signal);
        this.settle(d.indices, { uid: r.uid, action: r.action, enrollments: r.enrollments, events: r.events });
      } catch (error) {
        this.settle(d.indices, { error: error as Error });
      }
    });
  }
}
