import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

/** The dependency rules of ARCHITECTURE.md, checked on every test run (.dependency-cruiser.cjs). */
it('keeps the direction of dependencies between platform, modules and the command line', () => {
  const result = spawnSync(
    'npx',
    ['depcruise', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
    { encoding: 'utf8' },
  );
  expect(result.stdout + result.stderr).not.toMatch(/error /);
  expect(result.status).toBe(0);
});
