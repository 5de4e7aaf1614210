import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { availableEngines } from './support/test-database.js';
import { createTestApp } from './support/test-app.js';
import { CATALOGUE_DATA, loadCatalogueData } from './support/catalogue-data.js';

const engines = await availableEngines();

/**
 * The analytics module's per-parcel and per-line fact rows (migrations 0240 and 0270) on the catalogue's
 * demo data, stored through intake as in service: intake's events mark the arrival days, a refresh copies
 * only the marked days, and rows refreshed day by day are the rows a whole rebuild writes, consignment
 * totals included.
 */
describe.each(engines)('the per-parcel and per-line fact rows (%s)', (engine) => {
  let app: Clearway;
  const db = () => app.database.db;
  /** Every fact row, in one order, as text: what two builds are compared on. */
  const factRows = async () =>
    (
      await sql<Record<string, unknown>>`
        select * from analytics_parcel_fact order by parcel_id, order_number nulls first`.execute(db())
    ).rows.map((row) => JSON.stringify(row));
  const lineRows = async () =>
    (
      await sql<Record<string, unknown>>`
        select * from analytics_line_fact order by parcel_id, line_number`.execute(db())
    ).rows.map((row) => JSON.stringify(row));
  const markedDays = async () =>
    (
      await sql<{ day: string }>`
        select cast(arrival_date as text) as day from analytics_parcel_fact_day
        where refreshed_version is distinct from version order by 1`.execute(db())
    ).rows.map((row) => row.day);

  beforeAll(async () => {
    app = await createTestApp(engine);
    // Loads through intake and refreshes once, as the models' runs do.
    await loadCatalogueData(app);
  }, 600_000);
  afterAll(async () => app?.close());

  it('marks the arrival days intake stored parcels of, and copies each parcel once with its paid orders', async () => {
    const days = await sql<{ day: string }>`
      select cast(arrival_date as text) as day from analytics_parcel_fact_day order by 1`.execute(db());
    expect(days.rows.map((row) => row.day)).toHaveLength(CATALOGUE_DATA.days);
    expect(await markedDays()).toEqual([]);
    const { rows } = await sql<{ parcels: string; parcel_rows: string; paid: string; orders: string }>`
      select (select count(*) from intake_analysis_buyer_parcel) as parcels,
        (select count(*) from analytics_parcel_fact where parcel_row) as parcel_rows,
        (select count(*) from analytics_parcel_fact where paid_krw is not null) as paid,
        (select count(*) from intake_analysis_buyer_parcel b
          join intake_analysis_order_payment o on o.tracking_number = b.tracking_number and o.paid_krw > 0) as orders
    `.execute(db());
    expect(Number(rows[0]!.parcel_rows)).toBe(Number(rows[0]!.parcels));
    expect(Number(rows[0]!.paid)).toBe(Number(rows[0]!.orders));
    expect(Number(rows[0]!.paid)).toBeGreaterThan(0);
    // Every line with an HS6 of an assessed parcel, its log unit value per item and per kg where its
    // values give one.
    const { rows: lines } = await sql<{ lines: string; facts: string; logged: string; by_kg: string }>`
      select (select count(*) from intake_analysis_parcel_line l
          join clearance_analysis_parcel c on c.parcel_id = l.parcel_id where l.hs6 is not null) as lines,
        (select count(*) from analytics_line_fact) as facts,
        (select count(*) from analytics_line_fact where unit_krw_log is not null) as logged,
        (select count(*) from analytics_line_fact where kg_krw_log is not null) as by_kg
    `.execute(db());
    expect(Number(lines[0]!.facts)).toBe(Number(lines[0]!.lines));
    expect(Number(lines[0]!.logged)).toBeGreaterThan(Number(lines[0]!.facts) / 2);
    expect(Number(lines[0]!.by_kg)).toBeGreaterThan(0);
    expect((await app.analytics.parcelFacts.refresh()).days).toBe(0);
  });

  it('refreshes only the days marked, to the rows a whole rebuild writes', async () => {
    const whole = await factRows();
    const wholeLines = await lineRows();
    // Two days' parcels stored again (what intake's event says), their rows and consignments re-copied.
    const { rows: parcels } = await sql<{ parcel_id: string }>`
      select parcel_id from intake_analysis_buyer_parcel
      where arrival_date in (select arrival_date from analytics_parcel_fact_day order by arrival_date offset 2 limit 2)
    `.execute(db());
    await app.analytics.parcelFacts.markParcelsChanged(parcels.map((row) => Number(row.parcel_id)));
    const days = await markedDays();
    expect(days).toHaveLength(2);
    // The marked days' line rows gone stale: the refresh must write them again, not keep them.
    await sql`
      update analytics_line_fact set description = 'stale', unit_krw_log = null
      where arrival_date = any(${days}::date[])`.execute(db());
    const refreshed = await app.analytics.parcelFacts.refresh();
    expect(refreshed.days).toBe(2);
    expect(refreshed.rows).toBeGreaterThan(0);
    expect(refreshed.lines).toBeGreaterThan(0);
    expect(await markedDays()).toEqual([]);
    expect(await factRows()).toEqual(whole);
    expect(await lineRows()).toEqual(wholeLines);
  });

  it('keeps a day marked, without the lines of its unassessed parcel, until clearance has the parcel', async () => {
    const wholeLines = await lineRows();
    // A parcel with lines and nothing recorded on it but its transitions, taken out of clearance for a
    // while as if clearance had not taken it in yet.
    const { rows: picked } = await sql<{ parcel_id: string; day: string }>`
      select b.parcel_id, cast(b.arrival_date as text) as day from intake_analysis_buyer_parcel b
      where exists (select 1 from analytics_line_fact f where f.parcel_id = b.parcel_id)
        and not exists (select 1 from clearance_inspection i where i.parcel_id = b.parcel_id)
        and not exists (select 1 from clearance_seizure s where s.parcel_id = b.parcel_id)
        and not exists (select 1 from clearance_case k where k.parcel_id = b.parcel_id)
      order by b.parcel_id limit 1`.execute(db());
    const parcelId = Number(picked[0]!.parcel_id);
    const day = picked[0]!.day;
    await sql`create table held_parcel as select * from clearance_parcel where parcel_id = ${parcelId}`.execute(
      db(),
    );
    await sql`create table held_transition as select * from clearance_transition where parcel_id = ${parcelId}`.execute(
      db(),
    );
    await sql`delete from clearance_transition where parcel_id = ${parcelId}`.execute(db());
    await sql`delete from clearance_parcel where parcel_id = ${parcelId}`.execute(db());
    const linesOf = async (where: 'parcel' | 'day') =>
      Number(
        (
          await sql<{ lines: string }>`
            select count(*) as lines from analytics_line_fact
            where ${where === 'parcel' ? sql`parcel_id = ${parcelId}` : sql`arrival_date = ${day}::date`}`.execute(
            db(),
          )
        ).rows[0]!.lines,
      );
    const dayLines = await linesOf('day');

    await app.analytics.parcelFacts.markParcelsChanged([parcelId]);
    await app.analytics.parcelFacts.refresh();
    expect(await markedDays()).toEqual([day]);
    expect(await linesOf('parcel')).toBe(0);
    expect(await linesOf('day')).toBeGreaterThan(0);
    expect(await linesOf('day')).toBeLessThan(dayLines);

    await sql`insert into clearance_parcel select * from held_parcel`.execute(db());
    await sql`insert into clearance_transition overriding system value select * from held_transition`.execute(
      db(),
    );
    await sql`drop table held_parcel, held_transition`.execute(db());
    expect((await app.analytics.parcelFacts.refresh()).days).toBe(1);
    expect(await markedDays()).toEqual([]);
    expect(await lineRows()).toEqual(wholeLines);
  });
});
