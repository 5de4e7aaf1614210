import { sql } from 'kysely';
import type { CopyIn, Database } from '../../platform/db/database.js';
import { unnestRows, type ColumnTypes } from '../../platform/db/bulk-insert.js';
import type { IntakeDb, StoreOutcome } from './intake.repository.js';
import { STAGED_LINE_COLUMNS, STAGED_PARCEL_COLUMNS, type StagedParcel } from './adapters/staged-parcel.js';
import { STAGED_KCS_COLUMNS, type StagedKcsDeclaration } from './adapters/staged-kcs-declaration.js';

/**
 * Bulk writes of imported files: each batch is streamed with COPY into staging tables that live only in
 * its transaction (temporary, dropped at commit, so a killed import leaves nothing behind), then merged
 * into intake's tables with a few set-wise statements that keep every key, foreign key and deduplication
 * rule of the record-by-record path. Outcomes come back per record (by its position in the batch), with
 * the same meaning as `IntakeRepository`'s: created, duplicate (same content) or conflict.
 */
export class BulkImportRepository {
  /** Whether this connection's role may set `session_replication_role` (asked once). */
  private mayCheckReferences: Promise<boolean> | undefined;

  constructor(private readonly database: Database) {}

  /** Whether the database takes COPY (databases assembled by hand for benchmarks may not). */
  get available(): boolean {
    return this.database.copyTransaction !== undefined;
  }

  /** Runs `work` in one transaction on a connection of its own (several may run side by side on PostgreSQL). */
  transaction<T>(work: (session: BulkSession) => Promise<T>): Promise<T> {
    return this.database.copyTransaction!(async (tx, copy) => {
      // The merges sort a batch's staged rows (a few megabytes); the default 4 MB would sort them on disk.
      await sql`set local work_mem = '64MB'`.execute(tx);
      this.mayCheckReferences ??= mayCheckReferencesPerStatement(tx as unknown as IntakeDb);
      return work(new BulkSession(tx as unknown as IntakeDb, copy, await this.mayCheckReferences));
    });
  }

  /**
   * One import's writer of the parties and master waybills its batches name, inserted (where new) and
   * committed before each batch's own transaction. Writers are chosen by parcel key, so two writers meet
   * the same new buyers and master waybills; inserted inside each batch's transaction, the second
   * writer's `on conflict` waited for the first one's whole batch to commit (218 of 491.6 s of a
   * two-writer import of 1,000,001 lines, docs/operations.md). These rows are reference data that any
   * later record may name: one left behind by a batch that then fails is what the next naming record
   * would insert. The batch's merge still inserts any that are missing, so it never depends on this.
   *
   * The writer remembers the keys its import has committed and sends only the others: half to two
   * thirds of a batch's parties are buyers and sellers met in earlier batches, which the statement only
   * found present again. A row remembered and since deleted is what the merge's own insert is for. The
   * memory is bounded: past `REMEMBERED_REFERENCES` keys it starts again empty.
   */
  referencedRowsWriter(): (items: readonly StagedParcel[]) => Promise<void> {
    const stored = new Set<string>();
    return (items) => this.storeReferencedRows(items, stored);
  }

  private async storeReferencedRows(items: readonly StagedParcel[], stored: Set<string>): Promise<void> {
    const parties = new Map<string, PartyRow>();
    const masterWaybills = new Map<string, MasterWaybillRow>();
    const addParty = (party: PartyRow) => {
      const key = `${party.kind}\u0000${party.party_key}`;
      if (!stored.has(key) && !parties.has(key)) parties.set(key, party);
    };
    for (const { references: record } of items) {
      addParty({ kind: record.carrierKind, party_key: record.carrierCode });
      if (record.pccc) addParty({ kind: 'buyer', party_key: record.pccc });
      if (record.seller)
        addParty({
          kind: 'seller',
          party_key: record.seller.id,
          name: record.seller.name,
          country: record.seller.country,
          registration_number: record.seller.registrationNumber,
        });
      if (record.masterWaybill) {
        const key = `mawb\u0000${record.carrierKind}\u0000${record.carrierCode}\u0000${record.masterWaybill}`;
        if (!stored.has(key) && !masterWaybills.has(key))
          masterWaybills.set(key, {
            carrier_kind: record.carrierKind,
            carrier_code: record.carrierCode,
            mawb: record.masterWaybill,
            flight: record.flight,
            arrival_date: record.arrivalDate,
          });
      }
    }
    if (stored.size + parties.size + masterWaybills.size > REMEMBERED_REFERENCES) stored.clear();
    // Each statement commits on its own, in key order, so that writers never wait on each other's batches.
    if (parties.size > 0) {
      await sql`
        insert into intake_party (kind, party_key, name, country, registration_number)
        select * from ${unnestRows('input', PARTY_COLUMNS, [...parties.values()])}
        order by kind, party_key
        on conflict (kind, party_key) do nothing`.execute(this.database.db);
      for (const key of parties.keys()) stored.add(key);
    }
    if (masterWaybills.size > 0) {
      await sql`
        insert into intake_master_waybill (carrier_party_id, mawb, flight, arrival_date)
        select c.id, input.mawb, input.flight, input.arrival_date
        from ${unnestRows('input', MASTER_WAYBILL_COLUMNS, [...masterWaybills.values()])}
        join intake_party c on c.kind = input.carrier_kind and c.party_key = input.carrier_code
        order by c.id, input.mawb
        on conflict (carrier_party_id, mawb) do nothing`.execute(this.database.db);
      for (const key of masterWaybills.keys()) stored.add(key);
    }
  }

  /** How many batches may be written at once: one on the embedded database, which has one session. */
  writersFor(requested: number): number {
    return this.database.engine === 'embedded' ? 1 : Math.max(1, Math.floor(requested));
  }
}

/** The staging tables of one transaction, and the merges out of them. */
export class BulkSession {
  constructor(
    /** The transaction: events published here commit with the records. */
    readonly tx: IntakeDb,
    private readonly copy: CopyIn,
    /** Whether the merges check foreign keys once per statement (`withReferencesChecked`) or per row. */
    private readonly checksReferencesPerStatement: boolean,
  ) {}

  /**
   * Runs merges whose every reference the bulk path has made sure of itself, without PostgreSQL's
   * per-row foreign-key triggers. Each foreign key is a trigger that runs one locking lookup per
   * inserted row: replaying one batch's 65,484 parcels took 11.9 s with the 5 foreign keys and 6.2 s
   * without (docs/operations.md, "Bulk intake"). Instead, `locks` resolves the rows referenced, in one
   * set-wise statement each, and locks them `for key share` as the triggers would (so that nobody
   * deletes one or changes its key before this transaction commits), and the merges draw every reference
   * from those rows by joins. `session_replication_role = replica` is what leaves the triggers out: set
   * LOCAL, for these statements of this transaction only, so every other writer (the HTTP path, other
   * modules, a person in psql) keeps its per-row checks and the constraints stay declared. Setting it
   * needs superuser or, from PostgreSQL 15, `grant set on parameter session_replication_role`; without
   * it the merges run with the per-row triggers, as before.
   */
  private async withReferencesChecked<T>(locks: () => Promise<void>, merges: () => Promise<T>): Promise<T> {
    if (!this.checksReferencesPerStatement) return merges();
    await locks();
    await sql`set local session_replication_role = replica`.execute(this.tx);
    const result = await merges();
    await sql`set local session_replication_role to default`.execute(this.tx);
    return result;
  }

  /**
   * Locks `for key share` the rows with these ids, as a foreign-key trigger locks the row it checks, and
   * fails when one is gone (a concurrent delete that committed after the merge's join read it): the
   * merge would otherwise reference a row that no longer exists.
   */
  private async lockReferenced(table: string, ids: ReturnType<typeof sql>): Promise<void> {
    const result = await sql<{ wanted: number; locked: number }>`
      with wanted as (select distinct id from (${ids}) as referenced (id) where id is not null),
      locked as (
        select t.id from ${sql.table(table)} t join wanted w on w.id = t.id order by t.id for key share of t
      )
      select (select count(*) from wanted)::int as wanted, (select count(*) from locked)::int as locked`.execute(
      this.tx,
    );
    const { wanted, locked } = result.rows[0]!;
    if (wanted !== locked)
      throw new Error(
        `bulk import: ${wanted - locked} referenced rows of ${table} were deleted during the merge`,
      );
  }

  /** Parcels with their declaration, lines, parties and master waybills; see `IntakeRepository.storeParcels`. */
  async storeParcels(messageId: number, items: readonly StagedParcel[]): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    await sql`
      create temporary table intake_staging_parcel (
        seq int not null, line int, channel text not null, tracking_number text not null,
        carrier_kind text not null, carrier_code text not null, master_waybill text, flight text,
        arrival_date date, seller_id text, seller_name text, seller_country text, seller_registration text,
        pccc text, office_code text, category text, sender jsonb not null, addressee jsonb not null,
        gross_mass_kg numeric(14, 3), pieces int, declared_value numeric(18, 2) not null, currency char(3) not null,
        freight_value numeric(18, 2), insurance_value numeric(18, 2), documents jsonb,
        content_sha256 text not null, declared_on date not null
      ) on commit drop;
      create temporary table intake_staging_line (
        seq int not null, line_number int not null, description text not null, quantity numeric(14, 3) not null,
        net_mass_kg numeric(14, 3), value numeric(18, 2) not null, currency char(3) not null, hs_code text,
        origin_country char(2)
      ) on commit drop`.execute(this.tx);
    // Joined once: each row a flat string, so the batch's text is one copy of them.
    const parcels: string[] = [];
    const lines: string[] = [];
    items.forEach((item, seq) => {
      parcels.push(`${seq}\t${item.parcelRow}`);
      for (const row of item.lineRows) lines.push(`${seq}\t${row}`);
    });
    await this.copy('intake_staging_parcel', STAGED_PARCEL_COLUMNS, parcels.join(''));
    await this.copy('intake_staging_line', STAGED_LINE_COLUMNS, lines.join(''));
    // Temporary tables are never analysed by autovacuum: without statistics every merge below would be
    // planned for a handful of rows. Only the join columns: statistics on the addresses' JSON would cost
    // more than the merges they plan. A sample of 3,000 rows (statistics target 10) instead of all of a
    // batch's 10,000 is enough to plan joins on keys, and this transaction's analyses cost less.
    await sql`set local default_statistics_target = 10`.execute(this.tx);
    await sql`
      analyze intake_staging_parcel (seq, carrier_kind, carrier_code, tracking_number, master_waybill, seller_id,
        pccc), intake_staging_line (seq)`.execute(this.tx);

    // The parcels' references were inserted and committed before this transaction (`storeReferencedRows`):
    // they are only looked up here. Inserting them again in every batch, to find them all present, took
    // 0.9 of the 12.4 s of a 100,000-line express import; they are inserted here only when one is missing.
    if (!(await this.resolveParcelKeys())) {
      await sql`drop table intake_staging_resolved`.execute(this.tx);
      await this.insertReferencedRows();
      if (!(await this.resolveParcelKeys()))
        throw new Error('bulk import: a party or master waybill of the batch was deleted during the merge');
    }
    await sql`analyze intake_staging_resolved`.execute(this.tx);
    // Only the parcels whose key this batch claims are written (intake_parcel_key, migration 0220: the
    // uniqueness the partitioned parcels cannot hold themselves); the others are stored already.
    const unclaimed = await sql`
      with claimed as (
        insert into intake_parcel_key (carrier_party_id, tracking_number, parcel_id)
        select r.carrier_party_id, s.tracking_number, r.parcel_id
        from intake_staging_resolved r join intake_staging_parcel s on s.seq = r.seq
        order by r.carrier_party_id, s.tracking_number
        on conflict (carrier_party_id, tracking_number) do nothing
        returning parcel_id
      )
      delete from intake_staging_resolved r where not exists (select from claimed c where c.parcel_id = r.parcel_id)`.execute(
      this.tx,
    );
    // Statistics again only where stored parcels left the table (a first import of a clean file leaves it whole).
    if (Number(unclaimed.numAffectedRows ?? 1) > 0)
      await sql`analyze intake_staging_resolved`.execute(this.tx);
    // Every reference of the parcels, declarations and lines below comes from intake_staging_resolved
    // (joined to the parties and master waybills above) or this import's message. Each remaining row of
    // it is written: the parcel insert has no conflict to skip one, so it stores them all or fails.
    await this.withReferencesChecked(
      async () => {
        await this.lockReferenced(
          'intake_party',
          sql`select carrier_party_id from intake_staging_resolved
            union all select seller_party_id from intake_staging_resolved
            union all select buyer_party_id from intake_staging_resolved`,
        );
        await this.lockReferenced(
          'intake_master_waybill',
          sql`select master_waybill_id from intake_staging_resolved`,
        );
        await this.lockReferenced('intake_message', sql`select ${messageId}::bigint`);
      },
      async () => {
        await sql`
          insert into intake_parcel (id, channel, tracking_number, carrier_party_id, master_waybill_id, seller_party_id,
            buyer_party_id, pccc, office_code, category, sender, addressee, gross_mass_kg, pieces, declared_value,
            currency, freight_value, insurance_value, arrival_date, documents, content_sha256, message_id, source_line)
          overriding system value
          select r.parcel_id, s.channel, s.tracking_number, r.carrier_party_id, r.master_waybill_id, r.seller_party_id,
            r.buyer_party_id, s.pccc, s.office_code, s.category, s.sender, s.addressee, s.gross_mass_kg, s.pieces,
            s.declared_value, s.currency, s.freight_value, s.insurance_value, s.arrival_date, s.documents,
            s.content_sha256, ${messageId}::bigint, s.line
          from intake_staging_resolved r join intake_staging_parcel s on s.seq = r.seq
          order by r.carrier_party_id, s.tracking_number`.execute(this.tx);
        await sql`
          insert into intake_declaration (id, parcel_id, source, external_id, declared_on, office_code, declarant_key,
            importer_key, seller_key, courier_key, attributes, message_id, source_line)
          overriding system value
          select r.declaration_id, r.parcel_id, s.channel, s.carrier_code || ':' || s.tracking_number, s.declared_on,
            s.office_code, s.carrier_code, s.pccc, s.seller_id, s.carrier_code,
            jsonb_strip_nulls(jsonb_build_object('category', s.category, 'departureCountry', s.sender -> 'country')),
            ${messageId}::bigint, s.line
          from intake_staging_resolved r join intake_staging_parcel s on s.seq = r.seq
          order by r.declaration_id`.execute(this.tx);
        await sql`
          insert into intake_declaration_line (declaration_id, line_number, description, quantity, net_mass_kg,
            value, currency, hs_code, origin_country)
          select r.declaration_id, l.line_number, l.description, l.quantity, l.net_mass_kg, l.value, l.currency,
            l.hs_code, l.origin_country
          from intake_staging_resolved r join intake_staging_line l on l.seq = r.seq
          order by r.declaration_id, l.line_number`.execute(this.tx);
      },
    );
    const created = await sql<{ seq: number; id: number }>`
      select seq, parcel_id as id from intake_staging_resolved`.execute(this.tx);

    // The records not created: later copies in the batch, and parcels stored before (nothing to look up
    // when every record was created, as in a first import of a clean file).
    if (created.rows.length === items.length) return outcomesBySeq(items.length, created.rows, []);
    const stored = await sql<{ seq: number; id: number; same: boolean }>`
      select s.seq, p.id, p.content_sha256 = s.content_sha256 as same
      from intake_staging_parcel s
      join intake_party c on c.kind = s.carrier_kind and c.party_key = s.carrier_code
      join intake_parcel p on p.carrier_party_id = c.id and p.tracking_number = s.tracking_number
      where not exists (select from intake_staging_resolved created where created.seq = s.seq)`.execute(
      this.tx,
    );
    return outcomesBySeq(items.length, created.rows, stored.rows);
  }

  /**
   * The parties and master waybills the staged parcels name, where missing (the first record naming one
   * gives its details), in key order so that writers running side by side take their index locks in the
   * same order and never deadlock.
   */
  private async insertReferencedRows(): Promise<void> {
    await sql`
      insert into intake_party (kind, party_key, name, country, registration_number)
      select distinct on (kind, party_key) kind, party_key, name, country, registration_number from (
        select seq, carrier_kind as kind, carrier_code as party_key, null::text as name, null::text as country,
          null::text as registration_number
        from intake_staging_parcel
        union all
        select seq, 'buyer', pccc, null, null, null from intake_staging_parcel where pccc is not null
        union all
        select seq, 'seller', seller_id, seller_name, seller_country, seller_registration
        from intake_staging_parcel where seller_id is not null
      ) as wanted
      order by kind, party_key, seq
      on conflict (kind, party_key) do nothing`.execute(this.tx);
    await sql`
      insert into intake_master_waybill (carrier_party_id, mawb, flight, arrival_date)
      select distinct on (c.id, s.master_waybill) c.id, s.master_waybill, s.flight, s.arrival_date
      from intake_staging_parcel s join intake_party c on c.kind = s.carrier_kind and c.party_key = s.carrier_code
      where s.master_waybill is not null
      order by c.id, s.master_waybill, s.seq
      on conflict (carrier_party_id, mawb) do nothing`.execute(this.tx);
  }

  /**
   * The first copy of each parcel in the batch, with its references resolved and its parcel and
   * declaration ids drawn, into a table of its own, so that every statement after it joins on one id
   * column of an analysed table (and the parcels' ids need no `returning` to reach the declarations): a
   * plan over data-modifying CTEs guesses their sizes, and, guessing a row or two, joined 10,000 rows to
   * 10,000 row by row (minutes a batch). False, and the table is not to be used, when a party or master
   * waybill that a parcel names is not stored.
   */
  private async resolveParcelKeys(): Promise<boolean> {
    // Each sequence is looked up once, in a subquery: pg_get_serial_sequence called per row reads the
    // catalogue for every parcel (0.13 s of 65,000 rows, five times the nextval it feeds).
    await sql`
      create temporary table intake_staging_resolved on commit drop as
      select distinct on (c.id, s.tracking_number) s.seq, c.id as carrier_party_id, m.id as master_waybill_id,
        seller.id as seller_party_id, buyer.id as buyer_party_id,
        nextval((select pg_get_serial_sequence('intake_parcel', 'id')::regclass)) as parcel_id,
        nextval((select pg_get_serial_sequence('intake_declaration', 'id')::regclass)) as declaration_id,
        c.id is null or (s.master_waybill is not null and m.id is null)
          or (s.seller_id is not null and seller.id is null) or (s.pccc is not null and buyer.id is null)
          as unresolved
      from intake_staging_parcel s
      left join intake_party c on c.kind = s.carrier_kind and c.party_key = s.carrier_code
      left join intake_master_waybill m on m.carrier_party_id = c.id and m.mawb = s.master_waybill
      left join intake_party seller on seller.kind = 'seller' and seller.party_key = s.seller_id
      left join intake_party buyer on buyer.kind = 'buyer' and buyer.party_key = s.pccc
      order by c.id, s.tracking_number, s.seq`.execute(this.tx);
    const unresolved = await sql<{ unresolved: boolean }>`
      select exists (select from intake_staging_resolved where unresolved) as unresolved`.execute(this.tx);
    return !unresolved.rows[0]!.unresolved;
  }

  /** KCS history declarations with their line and inspection outcome; see `IntakeRepository.storeKcsDeclarations`. */
  async storeKcsDeclarations(
    messageId: number,
    items: readonly StagedKcsDeclaration[],
  ): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    await sql`
      create temporary table intake_staging_kcs (
        seq int not null, line int, external_id text not null, declared_on date not null, office_code text,
        declarant_key text, importer_key text, seller_key text, courier_key text, attributes jsonb not null,
        hs6_code text not null, net_mass_kg numeric(14, 3), value numeric(18, 2) not null, origin_country char(2),
        fraud boolean, critical_level smallint, content_sha256 text not null
      ) on commit drop`.execute(this.tx);
    const rows = items.map((item, seq) => `${seq}\t${item.row}`);
    await this.copy('intake_staging_kcs', STAGED_KCS_COLUMNS, rows.join(''));
    // The merge's references: this import's message, and the declarations it writes itself.
    const created = await this.withReferencesChecked(
      () => this.lockReferenced('intake_message', sql`select ${messageId}::bigint`),
      () =>
        sql<{ seq: number; id: number }>`
      with candidates as materialized (
        select distinct on (external_id) * from intake_staging_kcs order by external_id, seq
      ), inserted as (
        insert into intake_declaration (source, external_id, declared_on, office_code, declarant_key, importer_key,
          seller_key, courier_key, attributes, message_id, source_line)
        select 'kcs', external_id, declared_on, office_code, declarant_key, importer_key, seller_key, courier_key,
          attributes, ${messageId}::bigint, line
        from candidates order by external_id
        on conflict (source, external_id) do nothing
        returning id, external_id
      ), created as materialized (
        select i.id, c.* from inserted i join candidates c on c.external_id = i.external_id
      ), declared_lines as (
        insert into intake_declaration_line (declaration_id, line_number, description, quantity, net_mass_kg,
          value, currency, hs_code, origin_country)
        select id, 1, 'HS ' || hs6_code, 1, net_mass_kg, value, 'KRW', hs6_code, origin_country from created
      ), outcomes as (
        insert into intake_inspection_outcome (declaration_id, fraud, critical_level, source)
        select id, fraud, critical_level, 'kcs-history' from created where fraud is not null
      )
      select seq, id from created`.execute(this.tx),
    );
    if (created.rows.length === items.length) return outcomesBySeq(items.length, created.rows, []);
    const stored = await sql<{ seq: number; id: number; same: boolean }>`
      select s.seq, d.id, d.attributes ->> 'contentSha256' = s.content_sha256 as same
      from intake_staging_kcs s join intake_declaration d on d.source = 'kcs' and d.external_id = s.external_id`.execute(
      this.tx,
    );
    return outcomesBySeq(items.length, created.rows, stored.rows);
  }
}

/** Party and master waybill keys one import remembers as stored (about 100 bytes each). */
const REMEMBERED_REFERENCES = 500_000;

interface PartyRow extends Record<string, unknown> {
  kind: string;
  party_key: string;
  name?: string;
  country?: string;
  registration_number?: string;
}
const PARTY_COLUMNS: ColumnTypes<PartyRow> = {
  kind: 'text',
  party_key: 'text',
  name: 'text',
  country: 'text',
  registration_number: 'text',
};
interface MasterWaybillRow extends Record<string, unknown> {
  carrier_kind: string;
  carrier_code: string;
  mawb: string;
  flight?: string;
  arrival_date?: string;
}
const MASTER_WAYBILL_COLUMNS: ColumnTypes<MasterWaybillRow> = {
  carrier_kind: 'text',
  carrier_code: 'text',
  mawb: 'text',
  flight: 'text',
  arrival_date: 'date',
};

/**
 * Each record's outcome from the rows this batch created and the stored row its key names for the others
 * (`stored` may also list created records; they stay created): duplicate or conflict by content hash.
 */
function outcomesBySeq(
  count: number,
  created: readonly { seq: number; id: number }[],
  stored: readonly { seq: number; id: number; same: boolean }[],
): StoreOutcome[] {
  const outcomes: (StoreOutcome | undefined)[] = new Array(count);
  for (const row of created) outcomes[Number(row.seq)] = { status: 'created', id: Number(row.id) };
  for (const row of stored) {
    const seq = Number(row.seq);
    outcomes[seq] ??= { status: row.same ? 'duplicate' : 'conflict', id: Number(row.id) };
  }
  const missing = outcomes.findIndex((outcome) => outcome === undefined);
  if (missing >= 0 || outcomes.length !== count)
    throw new Error(`bulk import: record ${missing} of the batch has no stored row after the merge`);
  return outcomes as StoreOutcome[];
}

/**
 * Whether the connection's role may set `session_replication_role`: a superuser, or a role granted it
 * (PostgreSQL 15 and later, where `has_parameter_privilege` exists; PGlite is a superuser).
 */
async function mayCheckReferencesPerStatement(tx: IntakeDb): Promise<boolean> {
  const version = await sql<{ version: number }>`
    select current_setting('server_version_num')::int as version`.execute(tx);
  if (version.rows[0]!.version < 150000) {
    const superuser = await sql<{ superuser: boolean }>`
      select current_setting('is_superuser') = 'on' as superuser`.execute(tx);
    return superuser.rows[0]!.superuser;
  }
  const granted = await sql<{ granted: boolean }>`
    select has_parameter_privilege('session_replication_role', 'SET') as granted`.execute(tx);
  return granted.rows[0]!.granted;
}
