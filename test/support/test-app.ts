import { loadConfig } from '../../src/platform/config/config.js';
import { createClearway, type Clearway } from '../../src/main.js';
import type { Role } from '../../src/platform/auth/actor.js';
import { createTestDatabase, type Engine } from './test-database.js';

/** A whole Clearway instance on a throw-away database; requests go through `http.inject`, no port. */
export async function createTestApp(engine: Engine): Promise<Clearway> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: '.tmp/test-data' });
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
