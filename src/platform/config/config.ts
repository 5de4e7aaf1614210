import { z } from 'zod';
import { allRoles, processRoles, type ProcessRole } from './roles.js';

/**
 * The whole configuration of a Clearway process, parsed once from the environment at start-up.
 * Nothing else reads `process.env`: modules receive the part they need from the composition root.
 */
const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Where the HTTP server listens. */
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** A PostgreSQL connection string; when absent the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * Connections this process opens to PostgreSQL at most. Statements beyond them wait in the process;
   * past the server's cores, more connections only make them wait inside the server instead, behind
   * each other (docs/operations.md, "Connections per process").
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Folder for the embedded database, uploaded scans, mail outbox and model files. */
  DATA_DIR: z.string().default('./data'),
  /**
   * The customs office's offset from UTC in minutes (540 for Korea). Days in budgets, decision days and every
   * daily statistic are the office's calendar days, so a parcel decided at 00:30 in Seoul counts on that day.
   */
  OFFICE_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(540),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body, in bytes (X-ray scans and manifest files included). */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /** Secret used to sign sessions, CSRF tokens and webhook payloads. Production refuses the default. */
  SESSION_SECRET: z.string().min(32).default('development-only-secret-change-me-0123456789'),
  /** Public base URL of the server, used in links sent by mail. */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** SMTP server for one-time codes; when absent, mail is written to DATA_DIR/outbox. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Clearway <no-reply@clearway.local>'),
  /** Officer and consumer sessions end this many hours after sign-in, and after SESSION_IDLE_MINUTES unused. */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(60),
  /** scrypt cost of password hashes as log2(N), with r=8, p=1: 17 is 128 MiB per hash (OWASP's minimum). */
  PASSWORD_HASH_COST: z.coerce.number().int().min(14).max(20).default(17),
  /** Requests per minute and client address on sign-in, one-time-code and registration endpoints. */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** Requests per minute on the consumer portal: per signed-in account, and per client address on public pages. */
  PORTAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /**
   * An OpenAI-compatible endpoint (`.../v1`) of the operator's own language model, which then fills the
   * structured query of plain-language questions; absent, the offline parser alone reads them.
   */
  LLM_URL: z.string().url().optional(),
  LLM_MODEL: z.string().default('default'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15000),
  /** Plain-language questions: statement timeout and row cap of the read-only answer. */
  QUESTIONS_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  QUESTIONS_ROW_CAP: z.coerce.number().int().positive().max(100000).default(1000),
  /** Analytical models of the big-data portal: statement timeout of each read and the longest data window of a run. */
  ANALYTICS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(60000),
  ANALYTICS_MAX_WINDOW_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
  /**
   * The proxies whose X-Forwarded-For is believed: `false` (none: the default, for a server reached
   * directly), `true` (any: only behind a proxy that overwrites the header), a number of hops, or a
   * comma-separated list of addresses and CIDR ranges (`10.0.0.0/8,127.0.0.1`). Rate limits and
   * sign-in throttling count per client address; behind a proxy without this, all clients are one.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, context) => {
      const text = value.trim();
      if (text === 'true' || text === 'false') return text === 'true';
      if (/^\d+$/.test(text)) return Number(text);
      const addresses = text.split(',').map((entry) => entry.trim());
      if (addresses.every((entry) => /^[\d.:a-fA-F]+(\/\d{1,3})?$/.test(entry))) return addresses;
      context.addIssue({
        code: 'custom',
        message: 'must be true, false, a number of hops, or addresses and CIDR ranges separated by commas',
      });
      return z.NEVER;
    }),
  /**
   * The password of the administrator created at first start (`serve --demo`), for unattended installs;
   * when unset, a random one is made and printed once on standard output.
   */
  ADMIN_PASSWORD: z.string().min(12).max(256).optional(),
  /**
   * What this process does (roles.ts): `all` (the default, and the only choice on the embedded
   * database), or a comma-separated list of `api`, `worker`, `scheduler`. Production runs N processes
   * with `api` and M with `worker` (one or more with `scheduler`) against one PostgreSQL.
   */
  ROLES: z
    .string()
    .default('all')
    .transform((value, context): readonly ProcessRole[] => {
      const names = value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      if (names.length === 1 && names[0] === 'all') return allRoles;
      const unknown = names.filter((name) => !(processRoles as readonly string[]).includes(name));
      if (names.length === 0 || unknown.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `must be all, or some of ${processRoles.join(', ')} separated by commas${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
        });
        return z.NEVER;
      }
      return processRoles.filter((role) => names.includes(role));
    }),
  /**
   * How long a process keeps an API key it read (so a busy key costs no query per request). A key revoked,
   * expired or narrowed, or an account disabled, through another process is refused here within this time;
   * through this process, at once. 0 reads the key on every request.
   */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  /** How long an event claimed by a worker stays invisible to the others; a worker that dies holds it this long. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** How often a worker stamps the job it runs; a job unstamped for three times this long is taken over by another worker. */
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** /ready answers 503 while more events than this wait for delivery (the workers are falling behind). */
  READY_BACKLOG_LIMIT: z.coerce.number().int().positive().default(100_000),
  /** On SIGTERM, how long in-flight requests, deliveries and jobs may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Parcels, decisions, outbox events and audit entries are partitioned by month (docs/operations.md,
   * "Data growth"); the scheduler keeps the current month and this many after it created ahead.
   */
  PARTITION_MONTHS_AHEAD: z.coerce.number().int().min(1).max(24).default(3),
  /** Months of parcels (by receipt) kept before the current one; older months are dropped whole. 0 keeps all. */
  RETAIN_PARCEL_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  /** Months of decision records (by decision) kept before the current one. 0 keeps all. */
  RETAIN_DECISION_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  /** Months of outbox events (by recording) kept before the current one: events never delivered by then go. 0 keeps all. */
  RETAIN_OUTBOX_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  /** Months of audit entries kept before the current one; dropping leaves an archive entry the chain verifies from. 0 keeps all. */
  RETAIN_AUDIT_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export const DEFAULT_SESSION_SECRET = 'development-only-secret-change-me-0123456789';

export class ConfigError extends Error {}

/** Parses and freezes the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === 'production' && config.SESSION_SECRET === DEFAULT_SESSION_SECRET) {
    throw new ConfigError(
      'Invalid configuration: SESSION_SECRET must be set to a secret of your own in production',
    );
  }
  if (config.ROLES.length < allRoles.length && !config.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: ROLES other than all need a PostgreSQL server (DATABASE_URL): the embedded database lives inside one process',
    );
  }
  if (config.NODE_ENV === 'production' && config.PASSWORD_HASH_COST < 16) {
    throw new ConfigError('Invalid configuration: PASSWORD_HASH_COST must be at least 16 in production');
  }
  return Object.freeze(config);
}
