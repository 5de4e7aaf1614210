import { sql, type Kysely } from 'kysely';

/**
 * A consumer's PCCC comes only from the portal's proof of ownership (`portal_pccc_link`, a code sent to
 * the contact the PCCC registry holds). The code a consumer typed at registration opened parcels without
 * proof, and its one-account-per-code index let whoever typed a code first lock its holder out: both go.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    drop index if exists identity_account_consumer_pccc;
    alter table identity_account drop column pccc;
  `.execute(db);
}
