/** The README's "Write one in minutes" example is a valid scenario (so copying it works). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseScenario } from '../../src/harness/scenario/load.js';

it('README "Write one in minutes": the example scenario validates', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### Write one in minutes'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  expect(block, 'the README section has a json block').not.toBeNull();
  const { scenario } = parseScenario('README.md', JSON.parse(block![1]));
  expect(scenario.operations).toHaveLength(1);
  expect(scenario.implementations).toHaveLength(2);
});
