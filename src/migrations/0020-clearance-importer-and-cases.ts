import { sql, type Kysely } from 'kysely';

/**
 * Combined taxation is per importer (docs/clearance.md): each clearance record keeps who imports
 * (`pccc:<code>`, or the person where the code is missing) and the spelling-tolerant key of the
 * addressee's name, from which the importer is recomputed when the carrier reports the delivery address.
 * Officer cases: work that clearance cannot finish alone (an additional-tax case when a released parcel
 * turns out to belong to a group over the limit; a parcel held until the week's exchange rates are
 * loaded), one open case per parcel and kind.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table clearance_parcel add column importer_key text;
    alter table clearance_parcel add column addressee_name_key text;
    create index clearance_parcel_importer on clearance_parcel (importer_key);

    create table clearance_case (
      id bigint generated always as identity primary key,
      parcel_id bigint not null references clearance_parcel (parcel_id),
      kind text not null check (kind in ('additional_tax', 'exchange_rate_missing')),
      status text not null default 'open' check (status in ('open', 'closed')),
      details jsonb not null,
      opened_at timestamptz not null default now(),
      closed_at timestamptz,
      closed_by text,
      resolution text
    );
    create unique index clearance_case_open on clearance_case (parcel_id, kind) where status = 'open';
    create index clearance_case_status on clearance_case (status, kind, id);
  `.execute(db);
}
