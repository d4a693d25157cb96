import type { EntityStore } from '../store/entity-store.js';
import type { EventStore } from '../store/event-store.js';
import type { MetadataIndex } from './metadata-index.js';
import type { SeededRandom } from './random.js';
import type { User } from './types.js';
import type { UniquenessPolicy } from './uniqueness.js';
import type { Dhis2Version } from './versions.js';

/** Everything the transport-free DHIS2 domain needs; one per emulator instance. */
export interface DomainContext {
  version: Dhis2Version;
  meta: MetadataIndex;
  /** tracked entities, their enrollments inside */
  store: EntityStore;
  events: EventStore;
  uniqueness: UniquenessPolicy;
  rng: SeededRandom;
  clock: () => number;
  /** resolves once every commit made so far is durable (no-op in memory) */
  persist: () => Promise<void>;
}

/** Who is asking, and how to build absolute links in responses. */
export interface RequestScope {
  user: User;
  requestId: string;
  /** e.g. http://127.0.0.1:8080 */
  origin: string;
}
