import type { MetadataIndex } from './metadata-index.js';
import type { SeededRandom } from './random.js';
import type { StoredEntity, TrackedEntityAttribute } from './types.js';
import type { EntityStore } from '../store/entity-store.js';

export const UNIQUENESS_MODES = ['racy', 'atomic', 'off'] as const;
export type UniquenessMode = (typeof UNIQUENESS_MODES)[number];

/** Information handed to a race-window hook: which request is between its check and its commit. */
export interface RaceWindowInfo {
  requestId: string;
  api: 'legacy' | 'tracker';
  /** tracked entities the request writes */
  uids: string[];
  /** unique (attribute, value) pairs the request checked */
  keys: { attribute: string; value: string }[];
  /** (entity, program) pairs whose active/once-only enrollment rule the request checked */
  enrollmentKeys?: { trackedEntity: string; program: string; enrollment: string }[];
  /** events the request writes */
  eventUids?: string[];
  /** (enrollment, non-repeatable stage) pairs the request checked were free */
  stageKeys?: { enrollment: string; programStage: string; event: string }[];
}

export type RaceWindowHook = (info: RaceWindowInfo) => Promise<void>;

export interface RaceWindowOptions {
  /** seeded delay range in ms between check and commit in `racy` mode */
  delayMs: [number, number];
  hook?: RaceWindowHook;
}

/**
 * Real DHIS2 checks unique attributes in application code and commits later, with no database
 * constraint (spec §2.7, §3.4); the same holds for "one active enrollment per entity and program"
 * and for non-repeatable program stages (validated against the preheat, then persisted). `racy`
 * reproduces that gap: check against committed state, await a window (seeded delay or a test
 * scheduler's hook), then commit without re-checking.
 */
export class UniquenessPolicy {
  constructor(
    public mode: UniquenessMode,
    public window: RaceWindowOptions,
    private readonly rng: SeededRandom,
  ) {}

  get checks(): boolean {
    return this.mode !== 'off';
  }

  /** Awaited by an import between its checks and its commit; a no-op unless `racy`. */
  async between(info: RaceWindowInfo): Promise<void> {
    if (this.mode !== 'racy') return;
    if (this.window.hook) return this.window.hook(info);
    const [min, max] = this.window.delayMs;
    const ms = max <= min ? min : this.rng.between(min, max);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }
}

export interface UniquenessQuery {
  attribute: TrackedEntityAttribute;
  value: string;
  /** the entity being written (excluded from holders) */
  uid: string;
  orgUnit: string | undefined;
  /** legacy: lower(value) = lower(input) and soft-deleted ignored; tracker: exact, deleted still block */
  flavor: 'legacy' | 'tracker';
}

/** Other live (legacy) or stored (tracker) entities holding this value within the attribute's scope. */
export function conflictingHolders(store: EntityStore, q: UniquenessQuery): StoredEntity[] {
  return store.holders(q.attribute.id, q.value).filter((e) => {
    if (e.uid === q.uid) return false;
    if (q.flavor === 'legacy' && e.deleted) return false;
    const held = e.attributes.find((a) => a.attribute === q.attribute.id)?.value;
    if (held === undefined) return false;
    if (q.flavor === 'tracker' && held !== q.value) return false;
    if (q.attribute.orgunitScope && e.orgUnit !== q.orgUnit) return false;
    return true;
  });
}

export function uniqueAttribute(meta: MetadataIndex, attribute: string): TrackedEntityAttribute | undefined {
  const a = meta.attributes.get(attribute);
  return a?.unique ? a : undefined;
}
