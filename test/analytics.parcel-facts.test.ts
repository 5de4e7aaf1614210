import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { availableEngines } from './support/test-database.js';
import { createTestApp } from './support/test-app.js';
import { CATALOGUE_DATA, loadCatalogueData } from './support/catalogue-data.js';

const engines = await availableEngines();

/**
 * The analytics module's per-parcel fact rows (migration 0240) on the catalogue's demo data, stored
 * through intake as in service: intake's events mark the arrival days, a refresh copies only the marked
 * days, and rows refreshed day by day are the rows a whole rebuild writes, consignment totals included.
 */
describe.each(engines)('the per-parcel fact rows (%s)', (engine) => {
  let app: Clearway;
  const db = () => app.database.db;
  /** Every fact row, in one order, as text: what two builds are compared on. */
  const factRows = async () =>
    (
      await sql<Record<string, unknown>>`
        select * from analytics_parcel_fact order by parcel_id, order_number nulls first`.execute(db())
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
    expect((await app.analytics.parcelFacts.refresh()).days).toBe(0);
  });

  it('refreshes only the days marked, to the rows a whole rebuild writes', async () => {
    const whole = await factRows();
    // Two days' parcels stored again (what intake's event says), their rows and consignments re-copied.
    const { rows: parcels } = await sql<{ parcel_id: string }>`
      select parcel_id from intake_analysis_buyer_parcel
      where arrival_date in (select arrival_date from analytics_parcel_fact_day order by arrival_date offset 2 limit 2)
    `.execute(db());
    await app.analytics.parcelFacts.markParcelsChanged(parcels.map((row) => Number(row.parcel_id)));
    expect(await markedDays()).toHaveLength(2);
    const refreshed = await app.analytics.parcelFacts.refresh();
    expect(refreshed.days).toBe(2);
    expect(refreshed.rows).toBeGreaterThan(0);
    expect(await markedDays()).toEqual([]);
    expect(await factRows()).toEqual(whole);
  });
});
