import { sql, type Kysely } from 'kysely';

/**
 * The language an account holder reads Clearway in (ko, en or fr), chosen in the console or the
 * consumer app: server-written texts (errors, reasons, mails) follow it when a request names no
 * language, and mails, which have no request, always. Null until the holder chooses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table identity_account
      add column language text check (language in ('ko', 'en', 'fr'));
  `.execute(db);
}
