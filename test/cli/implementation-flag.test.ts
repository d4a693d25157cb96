/** `--implementation`/`--impl`, `--module`, `--exec` of run and hammer: one vocabulary, checked before anything runs. */
import { describe, expect, it } from 'vitest';
import { checkExecCommand, normaliseSpec, specsOf } from '../../src/cli/implementation-flag.js';

describe('implementation flags', () => {
  it('a bare reference name is that reference; other specs pass as given; --module becomes an absolute module: spec', () => {
    expect(normaliseSpec('naiveSearchThenCreate')).toBe('reference:naiveSearchThenCreate');
    expect(normaliseSpec('robust')).toBe('robust');
    expect(normaliseSpec('toString')).toBe('toString'); // not a reference, even if every object has it
    const specs = specsOf({ implementation: ['robust'], impl: ['trackerNoUid'], module: 'upsert.mjs', exec: 'python3 upsert.py' });
    expect(specs[0]).toBe('robust');
    expect(specs[1]).toBe('reference:trackerNoUid');
    expect(specs[2]).toMatch(/^module:\/.*\/upsert\.mjs$/);
    expect(specs[3]).toBe('exec:python3 upsert.py');
  });

  it('an unknown spec is a usage error naming the vocabulary', () => {
    expect(() => specsOf({ implementation: ['fastest'], impl: [] })).toThrow(/--implementation takes robust, a reference \(naiveSearchThenCreate or reference:<name>\), module:<path> or exec:<command>, not 'fastest'/);
  });

  it.each([
    ['a program on PATH', 'sh -c true'],
    ['after environment assignments', 'FOO=1 BAR=x sh upsert.sh'],
    ['a shell builtin', 'cd . && true'],
    ['shell syntax first: left to the shell', '( true )'],
  ])('--exec starting with %s passes the check', (_name, command) => {
    expect(() => checkExecCommand(command)).not.toThrow();
  });

  it.each([
    ['a misspelt program', 'pyhton3 upsert.py', /'pyhton3' is not a program on this machine/],
    ['a path that does not exist', './no-such-script.sh', /'\.\/no-such-script\.sh' is not a program/],
  ])('--exec with %s is a usage error', (_name, command, message) => {
    expect(() => checkExecCommand(command)).toThrow(message);
  });
});
