import type { Config } from '../../platform/config/config.js';

/** The part of the configuration that identity uses, in the units it uses. */
export interface IdentitySettings {
  sessionSecret: string;
  sessionTtlMs: number;
  sessionIdleMs: number;
  /** log2 of scrypt's N. */
  passwordHashCost: number;
  /** Requests per minute and client on sign-in, code and registration endpoints. */
  authRateLimitPerMinute: number;
  publicUrl: string;
  /** How long a process trusts an API key it read before reading it again (changes made elsewhere wait this long). */
  apiKeyCacheMs: number;
}

export function identitySettings(config: Config): IdentitySettings {
  return {
    sessionSecret: config.SESSION_SECRET,
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
    passwordHashCost: config.PASSWORD_HASH_COST,
    authRateLimitPerMinute: config.AUTH_RATE_LIMIT_PER_MINUTE,
    publicUrl: config.PUBLIC_URL,
    apiKeyCacheMs: config.API_KEY_CACHE_SECONDS * 1000,
  };
}
