import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.js';
import { createIdentityModule } from '../src/modules/identity/index.js';
import { loadConfig } from '../src/platform/config/config.js';
import { postalItem, s10 } from './support/sample-data.js';
import { createPostgresTestDatabase, isPostgresAvailable } from './support/test-database.js';
import { freePort } from './support/free-port.js';

/**
 * `clearway serve --http-workers 2` on PostgreSQL, as an operator runs it: two HTTP processes share the
 * port and the first process decides what they store.
 */
const binary = join(process.cwd(), 'bin', 'clearway.js');

describe.runIf(await isPostgresAvailable())('clearway serve with HTTP workers', () => {
  it('answers on two processes and decides in the background process', { timeout: 90_000 }, async () => {
    const database = await createPostgresTestDatabase();
    const port = await freePort();
    const child = spawn(process.execPath, [binary, 'serve', '--http-workers', '2'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while ((output.match(/HTTP worker is listening/g) ?? []).length < 2) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`the workers did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const keys = await openDatabase({ databaseUrl: database.url });
      const identity = createIdentityModule(keys, { config: loadConfig({ NODE_ENV: 'test' }) });
      const post = (await identity.service.createApiKey('postal_operator', { organisation: 'KPOST' })).token;
      const analyst = (await identity.service.createApiKey('targeting_analyst')).token;
      await keys.close();

      const base = `http://127.0.0.1:${port}`;
      const created = await fetch(`${base}/api/v1/postal/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${post}`, 'content-type': 'application/json' },
        body: JSON.stringify(postalItem({ itemId: s10(80000001) })),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      let decision: Response | undefined;
      for (let attempt = 0; attempt < 50; attempt++) {
        decision = await fetch(`${base}/api/v1/parcels/${id}/decision`, {
          headers: { authorization: `Bearer ${analyst}` },
        });
        if (decision.status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(decision!.status).toBe(200);
      expect(await decision!.json()).toMatchObject({ parcelId: id, trigger: 'intake' });
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await database.drop();
    }
  });

  it('refuses HTTP workers on the embedded database, which lives inside one process', async () => {
    const { DATABASE_URL: _server, ...environment } = process.env;
    const child = spawn(process.execPath, [binary, 'serve', '--http-workers', '2'], {
      env: { ...environment, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(1);
    expect(stderr).toMatch(/--http-workers needs a PostgreSQL server/);
  });
});
