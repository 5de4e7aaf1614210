import { describe, expect, it } from 'vitest';
import { allowedViews } from '../domain/semantic-model.js';
import { checkReadOnlySelect } from './sql-guard.js';

const check = (sql: string) => checkReadOnlySelect(sql, allowedViews);

describe('SQL guard (PostgreSQL parser)', () => {
  it('lets one SELECT over the published views through', async () => {
    expect(
      await check('select p.carrier_code, count(*) from intake_analysis_parcel p group by 1 limit 10'),
    ).toEqual({ safe: true });
  });

  it('stops writes, several statements, other tables, other functions and hidden reads', async () => {
    const unsafe = [
      'delete from intake_analysis_parcel',
      'select 1 from intake_analysis_parcel; drop table intake_parcel',
      'select * from intake_parcel',
      'select pccc from clearance_parcel',
      'select pg_sleep(10) from intake_analysis_parcel',
      'select * into stolen from intake_analysis_parcel',
      'select * from intake_analysis_parcel for update',
      'with gone as (delete from intake_parcel returning *) select * from gone',
      'select * from intake_analysis_parcel where parcel_id in (select id from intake_parcel)',
      'select * from pg_catalog.pg_authid',
      'select * from generate_series(1, 10)',
      'selec broken',
    ];
    for (const sql of unsafe) expect((await check(sql)).safe, sql).toBe(false);
  });
});
