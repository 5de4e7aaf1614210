import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/platform/config/config.js';
import { createClearway, type Clearway } from '../../src/main.js';
import type { Role } from '../../src/platform/auth/actor.js';
import { createTestDatabase, type Engine } from './test-database.js';

/** A whole Clearway instance on a throw-away database; requests go through `http.inject`, no port. */
export async function createTestApp(engine: Engine): Promise<Clearway> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: testDataDir() });
  return createClearway(config, await createTestDatabase(engine));
}

/** `Authorization` header of a new API key for the role. */
export async function authHeader(
  app: Clearway,
  role: Role,
  organisation?: string,
): Promise<{ authorization: string }> {
  const key = await app.identity.service.createApiKey(role, { organisation });
  return { authorization: `Bearer ${key.token}` };
}

/**
 * A data folder of its own for each test app: test files run side by side, and files written under a
 * shared folder (the demo's generated files among them) were read by another file's app half-written.
 */
export function testDataDir(): string {
  return `.tmp/test-data/${randomUUID().slice(0, 8)}`;
}
