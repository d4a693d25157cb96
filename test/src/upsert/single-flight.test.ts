import { describe, it, expect } from 'vitest';
import { inFlightKeys, singleFlight } from '../../../src/upsert/single-flight.js';
import { AbortedError } from '../../../src/errors.js';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('singleFlight', () => {
  it('serialises calls with the same key in arrival order', async () => {
    const log: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((g, i) =>
      singleFlight('k', async () => {
        log.push(`start ${i}`);
        await g.promise;
        log.push(`end ${i}`);
        return i;
      }),
    );
    await tick();
    expect(log).toEqual(['start 0']);
    gates[2].resolve();
    gates[1].resolve();
    await tick();
    expect(log).toEqual(['start 0']);
    gates[0].resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(inFlightKeys()).not.toContain('k');
  });

  it('does not serialise different keys', async () => {
    const gate = deferred();
    const started: string[] = [];
    const a = singleFlight('a', async () => {
      started.push('a');
      await gate.promise;
    });
    const b = singleFlight('b', async () => {
      started.push('b');
    });
    await b;
    expect(started).toEqual(['a', 'b']);
    gate.resolve();
    await a;
  });

  it('a failure releases the key for the next caller', async () => {
    const first = singleFlight('f', async () => {
      throw new Error('boom');
    });
    const second = singleFlight('f', async () => 'ok');
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe('ok');
  });

  it('an aborted waiter leaves the queue without running, others keep their order', async () => {
    const gate = deferred();
    const ran: number[] = [];
    const ac = new AbortController();
    const p0 = singleFlight('q', async () => {
      ran.push(0);
      await gate.promise;
    });
    const p1 = singleFlight('q', async () => {
      ran.push(1);
    }, ac.signal);
    const p2 = singleFlight('q', async () => {
      ran.push(2);
    });
    ac.abort();
    await expect(p1).rejects.toBeInstanceOf(AbortedError);
    await tick();
    expect(ran).toEqual([0]);
    gate.resolve();
    await Promise.all([p0, p2]);
    expect(ran).toEqual([0, 2]);
  });
});
