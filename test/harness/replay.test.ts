import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReplay, replayCounterexample, saveReplay, toReplayFile } from '../../src/harness/replay.js';
import { verifyUpsert } from '../../src/harness/verify.js';
import naive from '../fixtures/implementations/naive-search-then-create.mjs';
import { FC_SEED } from '../properties/fc-config.js';

const workload = { dhis2Versions: ['2.40'], maxKeys: 1, maxOps: 3, faults: false, preexisting: false };

describe('replay (issue §6): the printed seed + path, or the saved file, reproduce the failing run exactly', () => {
  it('seed + path and the saved file give the same story, interleaving and findings', async () => {
    const report = await verifyUpsert(naive, { seed: FC_SEED, concurrentRuns: 0, workload });
    expect(report.ok).toBe(false);
    const c = report.counterexample!;

    const again = await verifyUpsert(naive, { seed: FC_SEED, path: report.path, workload });
    expect(again.counterexample!.workload).toEqual(c.workload);
    expect(again.counterexample!.interleaving).toEqual(c.interleaving);
    expect(again.counterexample!.findings).toEqual(c.findings);

    const file = join(mkdtempSync(join(tmpdir(), 'harness-replay-')), 'cx.json');
    await saveReplay(file, toReplayFile(report, { module: 'naive.mjs' }));
    const loaded = await loadReplay(file);
    expect(loaded.target).toEqual({ module: 'naive.mjs' });
    const replayed = await replayCounterexample(naive, loaded);
    expect(replayed.ok).toBe(false);
    expect(replayed.counterexample!.interleaving).toEqual(c.interleaving);
    expect(replayed.counterexample!.findings).toEqual(c.findings);
    expect(replayed.counterexample!.history.snapshots).toEqual(c.history.snapshots);
  });

  it('rejects a file that is not a counterexample, saying how to make one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'harness-replay-')), 'x.json');
    await saveReplay(file, { hello: 1 } as never);
    await expect(loadReplay(file)).rejects.toMatchObject({ code: 'REPLAY_FILE', message: expect.stringContaining('--save') });
  });
});
