import { sql, type Kysely } from 'kysely';

/**
 * Failed sign-ins per client address and e-mail, and per e-mail from anywhere, for back-off instead of
 * an account lock that anyone who knows an officer's address could trigger. Keys are SHA-256 hashes:
 * the table holds no address and no e-mail.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table identity_sign_in_throttle (
      key_sha256 text primary key,
      failures integer not null,
      last_failure_at timestamptz not null,
      retry_after timestamptz not null
    );
  `.execute(db);
}
