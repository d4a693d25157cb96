import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package version (`dhis2-harness --version`, reports): the package.json above this file,
 * found from src/cli/ in a checkout and from dist/src/cli/ in an installed package.
 */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'dhis2-upsert-harness') return pkg.version ?? '0.0.0';
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
