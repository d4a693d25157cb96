/**
 * Generates `scenarios/scenario.schema.json` from the zod schema, so editors autocomplete and
 * check scenario files (`"$schema": "./scenario.schema.json"`). Run after changing schema.ts:
 * `npm run build && node dist/src/harness/scenario/write-schema.js`; a test fails while the
 * committed file differs from what this produces.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'https://github.com/dhis2-upsert-harness/scenario.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  // 'input': what a file may contain (defaults make keys optional)
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: SCENARIO_SCHEMA_ID };
}

export function renderScenarioSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

export async function writeScenarioSchema(file: string): Promise<void> {
  await writeFile(file, renderScenarioSchema());
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  // dist/src/harness/scenario → the checkout's scenarios/ folder
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const out = process.argv[2] ?? path.join(root, 'scenarios', 'scenario.schema.json');
  await writeScenarioSchema(out);
  process.stdout.write(`wrote ${out}\n`);
}
