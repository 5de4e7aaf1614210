import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateWebApiTypes, SCHEMA_FILE } from '../scripts/generate-web-api-types.js';

describe("the console's API types", () => {
  it('match what /api/openapi.json describes now (run `npm run generate:api-types` when this fails)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await generateWebApiTypes());
    // A whole server on an embedded database starts here: on a loaded two-core machine that takes a while.
  }, 180_000);
});
