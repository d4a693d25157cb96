/**
 * Imitates a job whose patient lookup is the classic search-then-create (naiveSearchThenCreate)
 * while its enrollments and visits are written correctly, under UIDs derived from the patient.
 * When two runs both create the patient, each attaches the enrollment and the visits to its own
 * copy: the history of one child is split across two records.
 */
import type { HarnessContext } from '../../upsert/context-client.js';
import { naiveSearchThenCreate } from '../naive-search-then-create.js';
import { type JobRecord, runJob } from './common.js';

export const searchThenCreateWithEvents = (record: JobRecord, ctx: HarnessContext) =>
  runJob(record, ctx, {
    entity: (r, c) => {
      const { enrollments: _e, ...entity } = r;
      return naiveSearchThenCreate(entity, c);
    },
  });
