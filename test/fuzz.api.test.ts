import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import {
  fuzzFormats,
  fuzzRequests,
  queryRequests,
  verdictOf,
  type FuzzRequest,
  type Verdict,
} from './support/fuzz-messages.js';

/**
 * The fuzzing campaign in the suite's reach: for every intake format and every query string, valid
 * and mutated requests from fast-check; none may crash the server, answer 5xx, or refuse without
 * naming what is wrong. bench/fuzz.bench.ts runs the same generators 100,000 times per format.
 */
const RUNS_PER_FORMAT = 250;
describe.each(await availableEngines())('fuzzing the API on %s', (engine) => {
  let app: Clearway;
  let headers: Record<string, string>;

  beforeAll(async () => {
    app = await createTestApp(engine);
    // A carrier that is DHL and a postal operator KPOST at once is not a role: the administrator sends all.
    headers = await authHeader(app, 'administrator');
  });
  afterAll(async () => app?.close());

  it.each(fuzzFormats)(
    '%s: no crash, no 5xx, every refusal names what is wrong',
    async (format) => {
      const openapi = (await app.http.inject({ url: '/api/openapi.json' })).json();
      const requests = format === 'query' ? queryRequests(openapi) : fuzzRequests(format);
      const counts: Record<Verdict, number> = {
        accepted: 0,
        'rejected-named': 0,
        'rejected-unnamed': 0,
        'server-error': 0,
      };
      const failures: string[] = [];
      await fc
        .assert(
          fc.asyncProperty(requests, async (request: FuzzRequest) => {
            const response = await app.http.inject({
              method: request.method,
              url: request.url,
              headers: {
                ...headers,
                ...(request.contentType ? { 'content-type': request.contentType } : {}),
              },
              payload: request.payload,
            });
            const verdict = verdictOf(response.statusCode, response.body);
            counts[verdict]++;
            if (verdict === 'server-error' || verdict === 'rejected-unnamed')
              failures.push(
                `${request.method} ${request.url} -> ${response.statusCode} ${response.body.slice(0, 300)}`,
              );
            return verdict !== 'server-error' && verdict !== 'rejected-unnamed';
          }),
          { numRuns: RUNS_PER_FORMAT, endOnFailure: true },
        )
        .catch((error: Error) => {
          throw new Error(`${error.message.split('\n')[0]}\n${failures.slice(0, 3).join('\n')}`);
        });
      expect(counts['server-error'] + counts['rejected-unnamed']).toBe(0);
      // The generators must reach both sides: some requests stored, most refused.
      if (format !== 'query') expect(counts.accepted).toBeGreaterThan(0);
      expect(counts['rejected-named']).toBeGreaterThan(0);
    },
    300_000,
  );
});
