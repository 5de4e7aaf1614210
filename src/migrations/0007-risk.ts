import { sql, type Kysely } from 'kysely';

/** The risk model registry: every trained model with its window, parameters, metrics and importance. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table risk_model (
      version int generated always as identity primary key,
      status text not null check (status in ('candidate', 'active', 'retired')),
      trained_from date not null,
      trained_to date not null,
      training_rows int not null,
      params jsonb not null,
      metrics jsonb not null,
      feature_importance jsonb not null,
      model jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      promoted_at timestamptz,
      promoted_by text
    );
    create unique index risk_model_one_active on risk_model (status) where status = 'active';
  `.execute(db);
}
