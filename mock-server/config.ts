import { z } from 'zod';
import { UNIQUENESS_MODES } from './dhis2/uniqueness.js';
import { Dhis2Version } from './dhis2/versions.js';
import { DEFAULT_JOURNAL_MAX_BYTES } from './journal.js';

/** Options of createMockDhis2 / `dhis2-harness serve`, validated at the boundary. */
export const mockOptionsSchema = z.object({
  dhis2Version: z
    .string()
    .default('2.40')
    .refine((v) => { try { Dhis2Version.parse(v); return true; } catch { return false; } }, {
      message: 'use a DHIS2 version from 2.35 to 2.42, optionally with a patch (e.g. 2.39.5)',
    }),
  uniqueness: z.enum(UNIQUENESS_MODES).default('racy'),
  seed: z.number().int().nonnegative().optional(),
  /** racy mode: delay range between uniqueness check and commit, in ms */
  raceWindowMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).default([2, 20]),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  db: z.string().min(1).optional(),
  /** fsync each --db save (temp file and folder), so it survives a power loss; slower */
  dbFsync: z.boolean().default(false),
  adminToken: z.string().min(1).optional(),
  journalLimit: z.number().int().positive().default(50_000),
  /** what the journal may hold, in bytes of its JSON; the oldest entries go first */
  journalMaxBytes: z.number().int().positive().default(DEFAULT_JOURNAL_MAX_BYTES),
  bodyLimit: z.string().default('10mb'),
  /** a fault plan (README "Fault plans"); validated by parseFaultPlan when the emulator starts */
  faults: z.unknown().optional(),
});

export type MockOptionsInput = z.input<typeof mockOptionsSchema>;
export type MockOptionsParsed = z.output<typeof mockOptionsSchema>;

export class InvalidOptionsError extends Error {
  readonly code = 'INVALID_OPTIONS';
}

export function parseMockOptions(input: unknown): MockOptionsParsed {
  const result = mockOptionsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new InvalidOptionsError(`Invalid emulator options: ${issues}`);
  }
  return result.data;
}
