import type { DomainContext } from '../context.js';
import type { User } from '../types.js';
import type { TrackerCode } from './messages.js';
import type { TrackerImportParams } from './params.js';
import type { TrackerBundleInput, TrackerTeInput } from './payload.js';

export type TrackerType = 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP';
export const TRACKER_TYPES: readonly TrackerType[] = ['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT', 'RELATIONSHIP'];

/** Per-object strategy after CREATE_AND_UPDATE has been resolved against stored state. */
export type ObjectStrategy = 'CREATE' | 'UPDATE' | 'DELETE';

/** A validation error, version-neutral: the message is rendered when the report is built. */
export interface TrackerError {
  code: TrackerCode;
  args: string[];
  trackerType: TrackerType;
  uid: string;
}

/** A unique (attribute, value) the preheat knows from the payload (UniqueAttributesSupplier). */
export interface PayloadUniqueValue {
  attribute: string;
  value: string;
  teUid: string;
  orgUnit?: string;
}

/** One import's inputs, read-only while validating (checks run against committed state). */
export interface ImportRun {
  ctx: DomainContext;
  user: User;
  params: TrackerImportParams;
  bundle: TrackerBundleInput;
  teByUid: Map<string, TrackerTeInput>;
  /** values of unique attributes that two or more payload TEs share: all of them are flagged */
  payloadUniques: PayloadUniqueValue[];
}

export const err = (trackerType: TrackerType, uid: string, code: TrackerCode, ...args: (string | undefined | null)[]): TrackerError => ({
  code,
  args: args.map((a) => (a === undefined || a === null ? 'null' : a)),
  trackerType,
  uid,
});
