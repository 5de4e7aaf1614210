import { sql, type Kysely } from 'kysely';

/** X-ray scans per parcel, with the analysis of each (named threats, materials, match with the declaration). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table xray_scan (
      id bigint generated always as identity primary key,
      parcel_id bigint not null,
      content_sha256 text not null,
      media_type text not null,
      byte_size int not null,
      width int not null,
      height int not null,
      storage_key text not null,
      state text not null default 'queued' check (state in ('queued', 'analysed', 'failed')),
      detections jsonb,
      materials jsonb,
      declaration_match jsonb,
      model text,
      analysis_ms int,
      error text,
      uploaded_by text not null,
      uploaded_at timestamptz not null default now(),
      analysed_at timestamptz,
      unique (parcel_id, content_sha256)
    );
    create index xray_scan_parcel on xray_scan (parcel_id);
  `.execute(db);
}
