import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrations } from '../src/migrations/index.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { migrateToLatest, type Database } from '../src/platform/db/database.js';
import { createIntakeModule } from '../src/modules/intake/index.js';
import { BulkImportRepository } from '../src/modules/intake/intake.bulk-import.repository.js';
import { availableEngines, createTestDatabase } from './support/test-database.js';
import { EXPRESS_TEST_HEADER as HEADER, expressRow as row } from './support/express-rows.js';

/**
 * A manifest with what a real file brings: houses of one and two lines over two master waybills and many
 * sellers, a later copy of a house with the same content and one with other content, a value the
 * validators refuse, a row with too few cells, and descriptions holding tabs' and COPY's special characters.
 */
function manifest(): string {
  const rows = [HEADER];
  for (let house = 1; house <= 60; house++) {
    const hawb = `FX${String(house).padStart(7, '0')}`;
    const mawb = house % 2 === 0 ? '023-45678905' : '023-45678916';
    rows.push(
      row(
        hawb,
        house === 9 ? 'Back\\slash and \\N, ""quoted""' : `Shoes ${house}`,
        `${house}.5`,
        `S-${house % 7}`,
        mawb,
      ),
    );
    if (house % 3 === 0) rows.push(row(hawb, `Laces ${house}`, '2', `S-${house % 7}`, mawb));
  }
  rows.push(row('FX0000005', 'Shoes 5', '5.5', 'S-5', '023-45678916')); // the same house again
  rows.push(row('FX0000007', 'Shoes 7', '999', 'S-0', '023-45678916')); // the same house, other content
  rows.push(row('FX0000100', 'Boots', '-5'));
  rows.push('FEDEX,too,few,cells');
  return rows.join('\n');
}

async function storedParcels(database: Database) {
  const { rows } = await sql<Record<string, unknown>>`
    select p.tracking_number, p.declared_value::text, p.source_line, p.content_sha256, m.mawb, s.party_key as seller,
      d.external_id, d.attributes, (select json_agg(l.description order by l.line_number)
        from intake_declaration_line l where l.declaration_id = d.id) as lines
    from intake_parcel p join intake_declaration d on d.parcel_id = p.id
    left join intake_master_waybill m on m.id = p.master_waybill_id
    left join intake_party s on s.id = p.seller_party_id
    order by p.tracking_number`.execute(database.db);
  return rows;
}

describe.each(await availableEngines())('bulk file import through COPY on %s', (engine) => {
  let bulk: Database;
  let batched: Database;
  const dir = mkdtempSync(join(tmpdir(), 'clearway-bulk-'));

  beforeAll(async () => {
    bulk = await createTestDatabase(engine);
    batched = await createTestDatabase(engine);
    await migrateToLatest(bulk, migrations);
    await migrateToLatest(batched, migrations);
  });
  afterAll(async () => {
    await bulk?.close();
    await batched?.close();
  });

  it('stores, deduplicates and reports exactly what the batched inserts do, with several writers', async () => {
    const file = join(dir, 'manifest.csv');
    writeFileSync(file, manifest());
    // Read by a worker thread, as large files are (the next test reads the same file in this thread).
    const viaCopy = await createIntakeModule(bulk).service.importFile(
      systemActor,
      'express',
      file,
      undefined,
      3,
      true,
    );
    const viaInserts = await createIntakeModule({
      ...batched,
      copyTransaction: undefined,
    }).service.importFile(systemActor, 'express', file);

    expect(viaCopy).toMatchObject({ received: 64, accepted: 60, duplicates: 1, conflicts: 1, rejected: 2 });
    // Ids differ (writers commit in their own order); everything else is the same.
    const withoutIds = ({ messageId: _id, errors, ...counts }: typeof viaCopy) => ({
      ...counts,
      errors: errors.map((error) => ({ ...error, message: error.message.replace(/record \d+/, 'record #') })),
    });
    expect(withoutIds(viaCopy)).toEqual(withoutIds(viaInserts));
    expect(viaCopy.errors.map((error) => `${error.line}:${error.rule}`)).toEqual([
      '83:duplicate-with-other-content',
      '84:money',
      '85:malformed',
    ]);

    const stored = await storedParcels(bulk);
    expect(stored).toHaveLength(60);
    expect(stored).toEqual(await storedParcels(batched));
    const ninth = stored.find((parcel) => parcel.tracking_number === 'FX0000009')!;
    expect(ninth.lines).toEqual(['Back\\slash and \\N, "quoted"', 'Laces 9']);
    // The first copy of FX0000007 is the one kept, whichever writer took it.
    expect(stored.find((parcel) => parcel.tracking_number === 'FX0000007')!.declared_value).toBe('7.50');
  });

  it('finishes an import run again as duplicates, storing nothing twice', async () => {
    const file = join(dir, 'manifest.csv');
    const again = await createIntakeModule(bulk).service.importFile(
      systemActor,
      'express',
      file,
      undefined,
      2,
    );
    expect(again).toMatchObject({ received: 64, accepted: 0, duplicates: 61, conflicts: 1, rejected: 2 });
    const { rows } = await sql<{ parcels: number; declarations: number; lines: number; sellers: number }>`
      select (select count(*)::int from intake_parcel) as parcels,
        (select count(*)::int from intake_declaration) as declarations,
        (select count(*)::int from intake_declaration_line) as lines,
        (select count(*)::int from intake_party where kind = 'seller') as sellers`.execute(bulk.db);
    expect(rows[0]).toEqual({ parcels: 60, declarations: 60, lines: 80, sellers: 7 });
  });

  it('checks foreign keys once per batch and leaves every other writer its per-row checks', async () => {
    // The merges skip the per-row triggers (session_replication_role, set local) after locking what they
    // reference: every reference they wrote must exist, and the constraints must still hold for others.
    const { rows: dangling } = await sql<{ count: number }>`
      select count(*)::int as count from intake_parcel p
      where not exists (select from intake_party c where c.id = p.carrier_party_id)
        or (p.seller_party_id is not null and not exists (select from intake_party s where s.id = p.seller_party_id))
        or (p.buyer_party_id is not null and not exists (select from intake_party b where b.id = p.buyer_party_id))
        or not exists (select from intake_master_waybill m where m.id = p.master_waybill_id)
        or not exists (select from intake_message m where m.id = p.message_id)`.execute(bulk.db);
    expect(dangling[0]!.count).toBe(0);
    const { rows: role } = await sql<{ role: string }>`
      select current_setting('session_replication_role') as role`.execute(bulk.db);
    expect(role[0]!.role).toBe('origin');
    const refusal = (statement: Promise<unknown>) =>
      statement.then(
        () => 'stored',
        (error: { code?: string }) => error.code,
      );
    // Another writer's parcel naming a party that does not exist is refused by the foreign key.
    expect(
      await refusal(
        sql`insert into intake_parcel (channel, tracking_number, carrier_party_id, sender, addressee,
          declared_value, currency, content_sha256, message_id)
        select 'express', 'NOPARTY1', max(id) + 1000, '{}', '{}', 1, 'USD', 'x', (select min(id) from intake_message)
        from intake_party`.execute(bulk.db),
      ),
    ).toBe('23503');
    // A seller that bulk-stored parcels reference cannot be deleted.
    expect(
      await refusal(
        sql`delete from intake_party where id = (select seller_party_id from intake_parcel
          where seller_party_id is not null limit 1)`.execute(bulk.db),
      ),
    ).toBe('23503');
  });

  it('inserts the parties and master waybills a batch names itself when they were not stored before it', async () => {
    // The merge only looks references up when the import's referenced-rows writer has stored them;
    // without it (or with one deleted since, or remembered as stored by an earlier batch and deleted since),
    // it must still insert them rather than drop a reference.
    const file = join(dir, 'new-parties.csv');
    writeFileSync(
      file,
      [
        HEADER,
        row('UP0000001', 'Kettle', '30', 'NEW-SELLER', '023-11111111').replace('FEDEX', 'UPS'),
        row('UP0000002', 'Pan', '20', 'NEW-SELLER', '023-11111111')
          .replace('FEDEX', 'UPS')
          .replace('P555566667777', 'P123456789012'),
      ].join('\n'),
    );
    const skipped = vi
      .spyOn(BulkImportRepository.prototype, 'referencedRowsWriter')
      .mockReturnValue(() => Promise.resolve());
    try {
      const summary = await createIntakeModule(bulk).service.importFile(systemActor, 'express', file);
      expect(summary).toMatchObject({ received: 2, accepted: 2, rejected: 0 });
      expect(skipped).toHaveBeenCalled();
    } finally {
      skipped.mockRestore();
    }
    const { rows } = await sql<Record<string, string>>`
      select p.tracking_number, c.kind || ':' || c.party_key as carrier, m.mawb, s.party_key as seller,
        s.name as seller_name, b.party_key as buyer
      from intake_parcel p join intake_party c on c.id = p.carrier_party_id
      join intake_master_waybill m on m.id = p.master_waybill_id and m.carrier_party_id = c.id
      join intake_party s on s.id = p.seller_party_id and s.kind = 'seller'
      join intake_party b on b.id = p.buyer_party_id and b.kind = 'buyer'
      where p.tracking_number like 'UP%' order by p.tracking_number`.execute(bulk.db);
    expect(rows).toEqual([
      {
        tracking_number: 'UP0000001',
        carrier: 'carrier:UPS',
        mawb: '02311111111',
        seller: 'NEW-SELLER',
        seller_name: 'Shop NEW-SELLER',
        buyer: 'P555566667777',
      },
      {
        tracking_number: 'UP0000002',
        carrier: 'carrier:UPS',
        mawb: '02311111111',
        seller: 'NEW-SELLER',
        seller_name: 'Shop NEW-SELLER',
        buyer: 'P123456789012',
      },
    ]);
  });

  it('takes KCS history with its labels through COPY, rejecting bad rows by line', async () => {
    const file = join(dir, 'kcs.csv');
    writeFileSync(
      file,
      [
        'Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud',
        '97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,0,0',
        '85945189,2020-01-01,40,B,11,21,11,40,SWF9S4X,7JD1S2X,8WDKMC6,,690722,CN,CN,8.0,A,Y,11352.0,375751.2,1,2',
        '11111111,2020-13-01,40,B,11,21,11,40,SWF9S4X,7JD1S2X,8WDKMC6,,69072A,CN,CN,8.0,A,Y,1.0,1.0,0,1',
        '85945189,2020-01-01,40,B,11,21,11,40,SWF9S4X,7JD1S2X,8WDKMC6,,690722,CN,CN,8.0,A,Y,11352.0,375751.2,1,2',
      ].join('\n'),
    );
    const intake = createIntakeModule(bulk);
    const first = await intake.service.importFile(systemActor, 'kcs', file, undefined, 2);
    expect(first).toMatchObject({ received: 4, accepted: 2, duplicates: 1, rejected: 1 });
    expect(first.errors.map((error) => error.line)).toEqual([4, 4, 4]);
    const { rows } = await sql<{
      external_id: string;
      fraud: boolean;
      critical_level: number;
      lines: number;
    }>`
      select d.external_id, o.fraud, o.critical_level,
        (select count(*)::int from intake_declaration_line l where l.declaration_id = d.id) as lines
      from intake_declaration d join intake_inspection_outcome o on o.declaration_id = d.id
      where d.source = 'kcs' order by d.external_id`.execute(bulk.db);
    expect(rows).toEqual([
      { external_id: '85945189', fraud: true, critical_level: 2, lines: 1 },
      { external_id: '97061800', fraud: false, critical_level: 0, lines: 1 },
    ]);
    const again = await intake.service.importFile(systemActor, 'kcs', file);
    expect(again).toMatchObject({ accepted: 0, duplicates: 3, rejected: 1 });
  });
});
