import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemActor } from '../../../src/platform/auth/actor.js';
import type { Clearway } from '../../../src/main.js';
import { createTestApp } from '../../support/test-app.js';

export const repositoryRoot = resolve(import.meta.dirname, '../../..');
const webDir = join(repositoryRoot, 'web');

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestModification(join(path, name))));
}

/**
 * Builds the console when web/dist is missing or older than its sources, so the browser tests always
 * drive the code in the working tree (a build takes about 15 s; an up-to-date one costs nothing).
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const built = join(webDir, 'dist', 'index.html');
  let builtAt = 0;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    // not built yet
  }
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((name) =>
    newestModification(join(webDir, name)),
  );
  if (builtAt > Math.max(...sources)) return;
  const { build } = await import('vite');
  await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
}

export const officerCredentials = {
  email: 'officer.park@customs.example',
  password: 'correct horse battery staple 7',
};

export interface ConsoleServer {
  app: Clearway;
  baseUrl: string;
  /** Authorization header of an administrator key, for seeding through the API. */
  admin: { authorization: string };
  postal: { authorization: string };
  /** Whether the server has an endpoint, read from its own OpenAPI document. */
  has(method: string, path: string): boolean;
  close(): Promise<void>;
}

/** The real server, in-process on an embedded database, listening on a random local port. */
export async function startConsoleServer(): Promise<ConsoleServer> {
  await ensureConsoleBuilt();
  const app = await createTestApp('embedded');
  await app.identity.service.createAccount(systemActor, {
    kind: 'officer',
    email: officerCredentials.email,
    name: 'Park Jiwoo',
    roles: ['administrator'],
    password: officerCredentials.password,
  });
  const adminKey = await app.identity.service.createApiKey('administrator');
  const postalKey = await app.identity.service.createApiKey('postal_operator', { organisation: 'KPOST' });
  // Background jobs (rule dry runs, X-ray analysis, training) run as they would under `clearway serve`.
  app.jobs.start(200);
  await app.http.listen({ host: '127.0.0.1', port: 0 });
  const address = app.http.server.address();
  if (!address || typeof address === 'string') throw new Error('The server did not listen on a TCP port');
  const openapi = (await app.http.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    admin: { authorization: `Bearer ${adminKey.token}` },
    postal: { authorization: `Bearer ${postalKey.token}` },
    has: (method, path) => Boolean(openapi.paths[path]?.[method.toLowerCase()]),
    close: () => app.close(),
  };
}

/** Reads a file the tests upload (X-ray fixtures live with the xray module). */
export function fixture(path: string): Buffer {
  return readFileSync(join(repositoryRoot, path));
}
