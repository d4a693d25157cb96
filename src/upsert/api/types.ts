/** The operations the upsert core needs, implemented once per DHIS2 write API. */
import type { Conflict } from '../../errors.js';
import type { Dhis2VersionInfo } from '../../client/version.js';
import type { AttributeValue } from '../record.js';
import type { CountingHttp } from './http.js';

export type ApiKind = 'legacy' | 'tracker';

export interface FoundEntity {
  uid: string;
  trackedEntityType?: string;
  orgUnit?: string;
  attributes: AttributeValue[];
}

export interface EntityPayload {
  uid: string;
  trackedEntityType: string;
  orgUnit: string;
  attributes: AttributeValue[];
}

export interface KeySearch {
  trackedEntityType: string;
  attribute: string;
  /** One value → EQ; several → IN (the caller keeps them IN-safe, see filter.ts). */
  values: string[];
  /** Set for org-unit-scoped unique attributes: search exactly that registration org unit. */
  orgUnit?: string;
}

export interface WriteResult {
  uid: string;
  /** False when the server updated an existing entity. */
  created: boolean;
}

export type BulkItemResult =
  | { status: 'ok'; created?: boolean }
  | { status: 'failed'; conflicts: Conflict[] }
  /**
   * The server did not report on this entity: its state must be re-read. `notWritten`: the server
   * did say the whole import was rejected (a 409 exception), so nothing of it was written.
   */
  | { status: 'unknown'; notWritten?: boolean };

export interface TeApi {
  readonly kind: ApiKind;
  readonly version: Dhis2VersionInfo;
  search(http: CountingHttp, q: KeySearch, signal?: AbortSignal): Promise<FoundEntity[]>;
  /**
   * The entity by UID, read from the primary store (undefined when absent or deleted). Searches may
   * be served from a lagging replica or cache; what an update sends is decided on this read.
   */
  read(http: CountingHttp, uid: string, signal?: AbortSignal): Promise<FoundEntity | undefined>;
  /** Create-or-update by UID (CREATE_AND_UPDATE): repeating it after a lost response is harmless. */
  create(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult>;
  /** Update an entity that exists (sending only what changes; the server merges); never creates. */
  update(http: CountingHttp, e: EntityPayload, signal?: AbortSignal): Promise<WriteResult>;
  /** Bulk create-or-update by UID; per-entity results keyed by UID. */
  importMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>>;
  /**
   * Bulk creates: each entity is created or reported failed (an existing UID fails, E1002), so a
   * success means "created" even when several entities share one import (a mixed create/update
   * report cannot tell which was which).
   */
  createMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>>;
  /** Bulk updates of existing entities (partial attribute lists, merged by the server). */
  updateMany(http: CountingHttp, entities: EntityPayload[], signal?: AbortSignal): Promise<Map<string, BulkItemResult>>;
}
