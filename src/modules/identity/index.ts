/** Identity: accounts, roles, API keys and sessions; turns credentials into an actor. */
import type { Database } from '../../platform/db/database.js';
import type { Authenticator } from '../../platform/http/request-actor.js';
import { IdentityAuthenticator } from './identity.authenticator.js';
import { IdentityService } from './identity.service.js';

export { IdentityService } from './identity.service.js';
export type { CreatedKey } from './identity.service.js';

export function createIdentityModule(database: Database): { service: IdentityService; authenticator: Authenticator } {
  const service = new IdentityService(database);
  return { service, authenticator: new IdentityAuthenticator(service) };
}
