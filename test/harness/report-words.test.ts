/**
 * Words that misled (issue 12): an --exec failure must say its last stderr line (a traceback's
 * exception), and DHIS2's own messages must reach the reader verbatim, with aliases for UIDs only
 * in the harness's own words.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RetryBudgetExceededError, TransportError } from '../../src/errors.js';
import { execImplementation } from '../../src/harness/exec-adapter.js';
import { readable } from '../../src/harness/report.js';

const record = { trackedEntityType: 'nEenWmSyUEp', orgUnit: 'DiszpKrYNg8', matchAttribute: 'lZGmxYbs97q', attributes: [{ attribute: 'lZGmxYbs97q', value: 'NID-1' }] };
const ctx = { baseUrl: 'http://127.0.0.1:9/op-1', username: 'admin', password: 'district' };

describe('an --exec failure', () => {
  it("leads with the last line of stderr (a Python traceback's exception), whatever came before", async () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "/home/me/projects/national-sync/very/long/path/to/the/upsert_patients_from_the_emr.py", line 42, in <module>',
      '    upsert(record)',
      '  File "/home/me/projects/national-sync/very/long/path/to/the/upsert_patients_from_the_emr.py", line 17, in upsert',
      '    raise ValueError("national ID NID-1 matched 2 patients")',
      'ValueError: national ID NID-1 matched 2 patients',
      '',
    ].join('\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'exec-words-'));
    writeFileSync(path.join(dir, 'traceback.txt'), traceback);
    const err = await execImplementation('cat traceback.txt >&2; exit 1', { cwd: dir })(record, ctx).then(() => undefined, (e: Error & { stderr: string }) => e);
    expect(err!.message).toBe('`cat traceback.txt >&2; exit 1` failed (exit code 1): ValueError: national ID NID-1 matched 2 patients');
    expect(err!.stderr).toContain('Traceback (most recent call last):');
  });
});

describe('readable(): aliases for UIDs only outside what the server said', () => {
  const server = "POST http://127.0.0.1:1/op-2/api/trackedEntityInstances was rejected with HTTP 409 (1 conflict(s)): Non-unique attribute value 'NID-1' for attribute lZGmxYbs97q. Nothing in the rejected objects was written; fix the data or resolve the conflict.";

  it("keeps DHIS2's message verbatim (even when the finding cut it) and aliases the harness's own words", () => {
    const finding = `op2 upserting key NID-1 failed (fail: CONFLICT ${server.slice(0, 200)}) while op0 succeeded; attribute lZGmxYbs97q of key NID-1 differs.`;
    const text = readable(finding, [server]);
    expect(text).toContain('for attribute lZGmxYbs97q.');
    expect(text).toContain('; attribute nationalId of key NID-1 differs.');
  });

  it('never rewrites inside double quotes', () => {
    expect(readable('attribute lZGmxYbs97q was "lZGmxYbs97q: Ama"')).toBe('attribute nationalId was "lZGmxYbs97q: Ama"');
  });

  it('without a verbatim message it aliases every UID (so the test above can fail)', () => {
    expect(readable(server)).toContain('for attribute nationalId.');
  });
});

describe('giving up after retries', () => {
  const transport = (phase: 'connect' | 'send') => new TransportError({ phase, method: 'GET', url: 'http://127.0.0.1:1/api/system/info', cause: new Error('refused'), causeCode: 'ECONNREFUSED' });

  it('says a write may have happened only when the last failure could have been one', () => {
    const never = new RetryBudgetExceededError({ attempts: 6, elapsedMs: 4700, lastError: transport('connect') });
    expect(never.outcomeUnknown).toBe(false);
    expect(never.message).not.toMatch(/outcome may be unknown/);
    expect(never.message).toMatch(/Run the upsert again \(it is idempotent\) once the server is healthy\.$/);
    const maybe = new RetryBudgetExceededError({ attempts: 6, elapsedMs: 4700, lastError: transport('send') });
    expect(maybe.outcomeUnknown).toBe(true);
    expect(maybe.message).toMatch(/The last write's outcome may be unknown: run the upsert again/);
  });
});
