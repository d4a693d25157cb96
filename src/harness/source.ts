/**
 * Every way a user hands an implementation to the harness becomes one `ImplementationSource`: a
 * plain function is shared by all clients (fine for implementations whose state is keyed by base
 * URL, as the package's own are, since every client has its own), a source gives each simulated
 * job run a fresh instance.
 */
import type { BatchImplementation, Implementation, ImplementationSource } from './types.js';

export function isSource(x: unknown): x is ImplementationSource {
  return typeof x === 'object' && x !== null && typeof (x as ImplementationSource).instance === 'function';
}

export function toSource(implementation: Implementation | BatchImplementation | ImplementationSource, batch = false): ImplementationSource {
  if (isSource(implementation)) return implementation;
  if (typeof implementation !== 'function') throw new TypeError('the implementation must be a function (record, ctx) => Promise, a batch function (records, ctx) => Promise, or { kind, instance(client) }');
  return { kind: batch ? 'batch' : 'single', instance: () => implementation };
}

/** One run's instances, one per client, created on first use. */
export class Instances {
  private readonly byClient = new Map<number, Promise<Implementation | BatchImplementation>>();
  constructor(private readonly source: ImplementationSource) {}

  get(client: number): Promise<Implementation | BatchImplementation> {
    let p = this.byClient.get(client);
    if (!p) {
      p = Promise.resolve().then(() => this.source.instance(client));
      this.byClient.set(client, p);
    }
    return p;
  }
}
