import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared-statements.js';
import { columnList, unnestInsert, unnestRows } from '../../platform/db/bulk-insert.js';
import type { IntakeTables } from './intake.tables.js';
import type { ParcelRecord } from './domain/parcel-record.js';
import type { MarketplaceOrder, Payment } from './domain/marketplace-records.js';
import { kcsAttributes, type KcsDeclaration } from './domain/kcs-declaration.js';

export type IntakeDb = Kysely<IntakeTables>;
export type IntakeTx = Transaction<IntakeTables>;

/** What happened to one record: stored now, already there with the same content, or there with other content. */
export type StoreOutcome =
  | { status: 'created'; id: number }
  | { status: 'duplicate'; id: number }
  | { status: 'conflict'; id: number };

export interface Hashed<T> {
  record: T;
  hash: string;
  line?: number;
}

export interface NewMessage {
  channel: IntakeTables['intake_message']['channel'];
  format: IntakeTables['intake_message']['format'];
  transport: 'http' | 'file';
  fileName?: string;
  contentSha256: string;
  byteSize: number;
  body?: string;
  idempotencyKey?: string;
  submittedBy: string;
}

interface PartyInput {
  kind: IntakeTables['intake_party']['kind'];
  key: string;
  name?: string;
  country?: string;
  registrationNumber?: string;
}

const partyRef = (kind: string, key: string) => `${kind}\u0000${key}`;

/** The two columns of a table's natural key (its unique index), and where its content hash is kept. */
interface NaturalKey {
  table: string;
  first: string;
  firstType: 'bigint' | 'text';
  second: string;
  hash?: RawBuilder<unknown>;
}

/** The SQL types of a declaration line's columns, for the unnest inserts of both declaration paths. */
const declarationLineColumns = {
  line_number: 'int',
  description: 'text',
  quantity: 'numeric',
  net_mass_kg: 'numeric',
  value: 'numeric',
  currency: 'text',
  hs_code: 'text',
  origin_country: 'text',
} as const;

const PARCEL_KEY: NaturalKey = {
  table: 'intake_parcel',
  first: 'carrier_party_id',
  firstType: 'bigint',
  second: 'tracking_number',
};
const ORDER_KEY: NaturalKey = {
  table: 'intake_order',
  first: 'marketplace_party_id',
  firstType: 'bigint',
  second: 'order_number',
};
const PAYMENT_KEY: NaturalKey = {
  table: 'intake_payment',
  first: 'marketplace_party_id',
  firstType: 'bigint',
  second: 'payment_reference',
};
const KCS_DECLARATION_KEY: NaturalKey = {
  table: 'intake_declaration',
  first: 'source',
  firstType: 'text',
  second: 'external_id',
  hash: sql`t.attributes->>'contentSha256'`,
};

/** PostgreSQL text holds no NUL: the kept copy shows it as U+FFFD (its records were refused for it, and
 * content_sha256 is of the bytes as received). */
function messageBody(message: NewMessage): string | null {
  return message.body?.replaceAll('\u0000', '\ufffd') ?? null;
}

function existingParties(rows: readonly { kind: string; party_key: string }[]) {
  return sql<{ id: number; kind: string; party_key: string }>`
    select p.id, p.kind, p.party_key from intake_party p
    join unnest(${rows.map((row) => row.kind)}::text[], ${rows.map((row) => row.party_key)}::text[]) as wanted(kind, party_key)
      on p.kind = wanted.kind and p.party_key = wanted.party_key`;
}

function existingMasterWaybills(rows: readonly { carrier_party_id: number; mawb: string }[]) {
  return sql<{ id: number; carrier_party_id: number; mawb: string }>`
    select m.id, m.carrier_party_id, m.mawb from intake_master_waybill m
    join unnest(${rows.map((row) => row.carrier_party_id)}::bigint[], ${rows.map((row) => row.mawb)}::text[]) as w(carrier_party_id, mawb)
      on m.carrier_party_id = w.carrier_party_id and m.mawb = w.mawb`;
}

/** The only code that reads or writes the intake tables. */
export class IntakeRepository {
  private readonly db: IntakeDb;
  /** Committed party ids never change, so they are kept in memory instead of asked for again. */
  private readonly partyIds = new Map<string, number>();
  /** Parties created by a transaction still open: usable by it alone (another would not see the row). */
  private readonly partiesCreatedIn = new WeakMap<object, Map<string, number>>();

  constructor(database: Database) {
    this.db = database.db.withTables<IntakeTables>() as unknown as IntakeDb;
  }

  findParcel(parcelId: number): Promise<StoredParcel | undefined> {
    return findParcel(this.db, parcelId);
  }

  findParcels(parcelIds: readonly number[]): Promise<StoredParcel[]> {
    return findParcels(this.db, parcelIds);
  }

  listParcels(filter: ParcelListFilter): Promise<ParcelListItem[]> {
    return listParcels(this.db, filter);
  }

  readDeclarationHistory(
    range: { from?: string; to?: string },
    options: { inspectedOnly: boolean; pageSize?: number },
  ): AsyncGenerator<DeclarationHistoryRow[]> {
    return readDeclarationHistory(this.db, range, options);
  }

  dailyParcelVolumes(range: Parameters<typeof dailyParcelVolumes>[1]) {
    return dailyParcelVolumes(this.db, range);
  }

  officesOfParcels(parcelIds: readonly number[]): Promise<Map<number, string | null>> {
    return officesOfParcels(this.db, parcelIds);
  }

  pcccsOfParcels(parcelIds: readonly number[]): Promise<Map<number, string>> {
    return pcccsOfParcels(this.db, parcelIds);
  }

  recordInspectionOutcome(
    declarationId: number,
    outcome: Parameters<typeof recordInspectionOutcome>[2],
  ): Promise<void> {
    return recordInspectionOutcome(this.db, declarationId, outcome);
  }

  async transaction<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    let transaction: IntakeTx | undefined;
    const result = await this.db.transaction().execute((tx) => {
      transaction = tx;
      return work(tx);
    });
    this.adoptPartiesCreatedIn(transaction!);
    return result;
  }

  /** Parties created by a transaction (or statements) now committed become known to every other one. */
  private adoptPartiesCreatedIn(executor: object): void {
    for (const [ref, id] of this.partiesCreatedIn.get(executor) ?? []) this.partyIds.set(ref, id);
    this.partiesCreatedIn.delete(executor);
  }

  async holdsParcels(): Promise<boolean> {
    const row = await this.db.selectFrom('intake_parcel').select('id').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async createMessage(tx: IntakeDb, message: NewMessage): Promise<number> {
    const row = await tx
      .insertInto('intake_message')
      .values({
        channel: message.channel,
        format: message.format,
        transport: message.transport,
        file_name: message.fileName ?? null,
        content_sha256: message.contentSha256,
        byte_size: message.byteSize,
        body: messageBody(message),
        idempotency_key: message.idempotencyKey ?? null,
        submitted_by: message.submittedBy,
        summary: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async setMessageSummary(
    tx: IntakeDb,
    messageId: number,
    summary: unknown,
    contentSha256?: string,
  ): Promise<void> {
    await tx
      .updateTable('intake_message')
      .set({ summary: JSON.stringify(summary), ...(contentSha256 ? { content_sha256: contentSha256 } : {}) })
      .where('id', '=', messageId)
      .execute();
  }

  /** `setMessageSummary` as a statement not yet run, to travel with another (`EventOutbox.publish`). */
  messageSummaryUpdate(messageId: number, summary: unknown): RawBuilder<unknown> {
    return sql`update intake_message set summary = ${JSON.stringify(summary)} where id = ${messageId}`;
  }

  async findMessageByIdempotencyKey(submittedBy: string, key: string) {
    return this.db
      .selectFrom('intake_message')
      .select(['id', 'channel', 'content_sha256', 'summary'])
      .where('submitted_by', '=', submittedBy)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  /** Creates the parties that do not exist yet and returns the id of each, keyed by kind and key. */
  async ensureParties(tx: IntakeDb, parties: PartyInput[]): Promise<Map<string, number>> {
    let createdHere = this.partiesCreatedIn.get(tx);
    if (!createdHere) this.partiesCreatedIn.set(tx, (createdHere = new Map()));
    const idOf = (ref: string) => this.partyIds.get(ref) ?? createdHere.get(ref);
    const missing = new Map<string, PartyInput>();
    for (const party of parties) {
      const ref = partyRef(party.kind, party.key);
      if (idOf(ref) === undefined && !missing.has(ref)) missing.set(ref, party);
    }
    if (missing.size > 0) {
      const rows = [...missing.values()].map((party) => ({
        kind: party.kind,
        party_key: party.key,
        name: party.name ?? null,
        country: party.country ?? null,
        registration_number: party.registrationNumber ?? null,
      }));
      // One round trip: the insert returns the new parties; the select, which does not see them (same
      // snapshot), returns those that were there before.
      const found = await sql<{ id: number; kind: string; party_key: string; created: boolean }>`${prepared}
        with inserted as (
          ${unnestInsert(
            'intake_party',
            { kind: 'text', party_key: 'text', name: 'text', country: 'text', registration_number: 'text' },
            rows,
            sql`on conflict (kind, party_key) do nothing returning id, kind, party_key`,
          )})
        select id, kind, party_key, true as created from inserted
        union all
        select id, kind, party_key, false as created from (${existingParties(rows)}) as existing`.execute(tx);
      for (const row of found.rows)
        (row.created ? createdHere : this.partyIds).set(partyRef(row.kind, row.party_key), row.id);
      // A party that a concurrent transaction committed after this statement began is in neither half;
      // a new statement sees it.
      const late = rows.filter((row) => idOf(partyRef(row.kind, row.party_key)) === undefined);
      if (late.length > 0) {
        for (const row of (await existingParties(late).execute(tx)).rows)
          this.partyIds.set(partyRef(row.kind, row.party_key), row.id);
      }
    }
    const result = new Map<string, number>();
    for (const party of parties) {
      const ref = partyRef(party.kind, party.key);
      result.set(ref, idOf(ref)!);
    }
    return result;
  }

  /**
   * Stores parcels with their declaration and lines. Parcels already known by (carrier, tracking number)
   * are not touched: the outcome says whether the earlier copy had the same content.
   */
  async storeParcels(
    tx: IntakeDb,
    messageId: number,
    items: Hashed<ParcelRecord>[],
  ): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const { carrierId, writes } = await this.parcelWrites(tx, items, sql`${messageId}::bigint`);
    const inserted = await sql<{ id: number; carrier_party_id: number; tracking_number: string }>`${prepared}
      with ${writes}
      select id, carrier_party_id, tracking_number from inserted`.execute(tx);
    const createdIds = new Map<string, number>();
    for (const row of inserted.rows) createdIds.set(`${row.carrier_party_id}:${row.tracking_number}`, row.id);
    return this.judgeAgainstStored(
      tx,
      items,
      (record) => [carrierId(record), record.trackingNumber],
      createdIds,
      PARCEL_KEY,
    );
  }

  /**
   * One parcel received on its own (a CN23 item over HTTP): its message, key, parcel, declaration,
   * lines and the stored event are one statement that commits by itself, where the transaction of
   * `storeParcels` took six round trips (begin, message, parcel, summary and event, commit, and a party
   * for a new buyer); under the load bench the api's transaction was most of receipt to decision
   * (docs/operations.md). The message is written with `written.summary`, its `messageId` and
   * `records[0].id` set to the ids drawn here; the event, `written.event` with `ids` set to the parcel's,
   * is recorded by the CTEs `written.record` returns. Parties and master waybills are reference data
   * that any later record may name, so new ones are committed first (as the bulk path does). Undefined,
   * with nothing written, when the parcel's key is stored already: the caller then judges the copy in a
   * transaction of its own.
   */
  async storeParcelAlone(
    message: NewMessage,
    item: Hashed<ParcelRecord>,
    written: {
      summary: object;
      event: object;
      record: (
        payloads: RawBuilder<unknown>,
      ) => { ctes: RawBuilder<unknown>; notify: RawBuilder<unknown> } | undefined;
    },
  ): Promise<{ messageId: number; parcelId: number } | undefined> {
    const { writes } = await this.parcelWrites(this.db, [item], sql`(select id from drawn)`);
    this.adoptPartiesCreatedIn(this.db);
    const recorded = written.record(sql`
      select ${JSON.stringify(written.event)}::jsonb || jsonb_build_object('ids', jsonb_build_array(id)) as payload
      from inserted`);
    // The message's id is drawn first: the parcel row names it, and the message row (written only when
    // the key was claimed) names the parcel in its summary. The foreign key is checked at the end of the
    // statement, when both rows are there.
    const row = await sql<{ message_id: number; parcel_id: number }>`${prepared}
      with drawn as materialized (select nextval(pg_get_serial_sequence('intake_message', 'id')) as id),
      ${writes},
      message as (
        insert into intake_message (id, channel, format, transport, file_name, content_sha256, byte_size, body,
          idempotency_key, submitted_by, summary)
        overriding system value
        select drawn.id, ${message.channel}, ${message.format}, ${message.transport}, ${message.fileName ?? null}::text,
          ${message.contentSha256}, ${message.byteSize}::bigint, ${messageBody(message)}::text,
          ${message.idempotencyKey ?? null}::text, ${message.submittedBy},
          jsonb_set(jsonb_set(${JSON.stringify(written.summary)}::jsonb, '{messageId}', to_jsonb(drawn.id)),
            '{records,0,id}', to_jsonb(claimed.parcel_id))
        from drawn, claimed
        returning id
      )${recorded ? sql`, ${recorded.ctes}` : sql``}
      select message.id as message_id, inserted.id as parcel_id${recorded ? sql`, ${recorded.notify} as notified` : sql``}
      from message, inserted`.execute(this.db);
    const stored = row.rows[0];
    return stored && { messageId: Number(stored.message_id), parcelId: Number(stored.parcel_id) };
  }

  /**
   * The CTEs that write parcels with their declaration and lines (`input`, `claimed`, `inserted`,
   * `declared`, `declared_lines`), after making sure of their parties and master waybills. The
   * parcel's key is claimed first (intake_parcel_key, migration 0220: uniqueness the partitioned parcels
   * cannot hold themselves), drawing its id; only keys claimed here get a parcel row, and only those a
   * declaration with its lines, found by carrier and tracking number. `messageId` is the SQL of the
   * message's id (a parameter, or the message the same statement writes).
   */
  private async parcelWrites(tx: IntakeDb, items: Hashed<ParcelRecord>[], messageId: RawBuilder<unknown>) {
    const parties: PartyInput[] = [];
    for (const { record } of items) {
      parties.push({ kind: record.carrierKind, key: record.carrierCode });
      if (record.pccc) parties.push({ kind: 'buyer', key: record.pccc });
      if (record.seller) {
        parties.push({
          kind: 'seller',
          key: record.seller.id,
          name: record.seller.name,
          country: record.seller.country,
          registrationNumber: record.seller.registrationNumber,
        });
      }
    }
    const partyIds = await this.ensureParties(tx, parties);
    const carrierId = (record: ParcelRecord) =>
      partyIds.get(partyRef(record.carrierKind, record.carrierCode))!;

    const masterIds = await this.ensureMasterWaybills(
      tx,
      items.map(({ record }) => record),
      carrierId,
    );

    // Keep the first of several copies of one parcel inside the batch; the others are judged against it.
    const firstIndexByKey = new Map<string, number>();
    items.forEach(({ record }, index) => {
      const key = `${carrierId(record)}:${record.trackingNumber}`;
      if (!firstIndexByKey.has(key)) firstIndexByKey.set(key, index);
    });
    const unique = [...firstIndexByKey.values()].map((index) => items[index]!);

    const columns = {
      channel: 'text',
      tracking_number: 'text',
      carrier_party_id: 'bigint',
      master_waybill_id: 'bigint',
      seller_party_id: 'bigint',
      buyer_party_id: 'bigint',
      pccc: 'text',
      office_code: 'text',
      category: 'text',
      sender: 'jsonb',
      addressee: 'jsonb',
      gross_mass_kg: 'numeric',
      pieces: 'int',
      declared_value: 'numeric',
      currency: 'text',
      freight_value: 'numeric',
      insurance_value: 'numeric',
      arrival_date: 'date',
      documents: 'jsonb',
      content_sha256: 'text',
      source_line: 'int',
    } as const;
    const names = Object.keys(columns);
    const writes = sql`
      input as (select * from ${unnestRows(
        'input',
        columns,
        unique.map(({ record, hash, line }) => ({
          channel: record.channel,
          tracking_number: record.trackingNumber,
          carrier_party_id: carrierId(record),
          master_waybill_id: record.masterWaybill
            ? (masterIds.get(`${carrierId(record)}:${record.masterWaybill}`) ?? null)
            : null,
          seller_party_id: record.seller
            ? (partyIds.get(partyRef('seller', record.seller.id)) ?? null)
            : null,
          buyer_party_id: record.pccc ? (partyIds.get(partyRef('buyer', record.pccc)) ?? null) : null,
          pccc: record.pccc ?? null,
          office_code: record.officeCode ?? null,
          category: record.category ?? null,
          sender: record.sender,
          addressee: record.addressee,
          gross_mass_kg: record.grossMassKg ?? null,
          pieces: record.pieces ?? null,
          declared_value: record.declaredValue,
          currency: record.currency,
          freight_value: record.freightValue ?? null,
          insurance_value: record.insuranceValue ?? null,
          arrival_date: record.arrivalDate ?? null,
          documents: record.documents ?? null,
          content_sha256: hash,
          source_line: line ?? null,
        })),
      )}),
      claimed as (
        insert into intake_parcel_key (carrier_party_id, tracking_number, parcel_id)
        -- The sequence looked up once (a subquery): called per row, pg_get_serial_sequence reads the catalogue each time.
        select carrier_party_id, tracking_number, nextval((select pg_get_serial_sequence('intake_parcel', 'id')::regclass))
        from input
        order by carrier_party_id, tracking_number
        on conflict (carrier_party_id, tracking_number) do nothing
        returning carrier_party_id, tracking_number, parcel_id
      ),
      inserted as (
        insert into intake_parcel (id, ${columnList(names)}, message_id) overriding system value
        select claimed.parcel_id, ${columnList(names, 'input')}, ${messageId}
        from input join claimed using (carrier_party_id, tracking_number)
        returning id, carrier_party_id, tracking_number
      ),
      ${this.declarationsOf(unique, messageId, carrierId)}`;
    return { carrierId, writes };
  }

  private async ensureMasterWaybills(
    tx: IntakeDb,
    records: ParcelRecord[],
    carrierId: (record: ParcelRecord) => number,
  ) {
    const wanted = new Map<
      string,
      { carrier_party_id: number; mawb: string; flight: string | null; arrival_date: string | null }
    >();
    for (const record of records) {
      if (!record.masterWaybill) continue;
      const key = `${carrierId(record)}:${record.masterWaybill}`;
      if (!wanted.has(key)) {
        wanted.set(key, {
          carrier_party_id: carrierId(record),
          mawb: record.masterWaybill,
          flight: record.flight ?? null,
          arrival_date: record.arrivalDate ?? null,
        });
      }
    }
    const ids = new Map<string, number>();
    if (wanted.size === 0) return ids;
    const rows = [...wanted.values()];
    const found = await sql<{ id: number; carrier_party_id: number; mawb: string }>`
      with inserted as (
        ${unnestInsert(
          'intake_master_waybill',
          { carrier_party_id: 'bigint', mawb: 'text', flight: 'text', arrival_date: 'date' },
          rows,
          sql`on conflict (carrier_party_id, mawb) do nothing returning id, carrier_party_id, mawb`,
        )})
      select id, carrier_party_id, mawb from inserted
      union all
      ${existingMasterWaybills(rows)}`.execute(tx);
    for (const row of found.rows) ids.set(`${row.carrier_party_id}:${row.mawb}`, row.id);
    const late = rows.filter((row) => !ids.has(`${row.carrier_party_id}:${row.mawb}`));
    if (late.length > 0)
      for (const row of (await existingMasterWaybills(late).execute(tx)).rows)
        ids.set(`${row.carrier_party_id}:${row.mawb}`, row.id);
    return ids;
  }

  /**
   * The CTEs `declared` and `declared_lines` of `storeParcels`' statement: each parcel's declaration and
   * its lines, written for the parcels the statement inserted (CTE `inserted`), which they join by
   * carrier and tracking number.
   */
  private declarationsOf(
    items: Hashed<ParcelRecord>[],
    messageId: RawBuilder<unknown>,
    carrierId: (record: ParcelRecord) => number,
  ): RawBuilder<unknown> {
    const lines = items.flatMap(({ record }) =>
      record.lines.map((line, index) => ({
        carrier_party_id: carrierId(record),
        tracking_number: record.trackingNumber,
        line_number: index + 1,
        description: line.description,
        quantity: line.quantity,
        net_mass_kg: line.netMassKg ?? null,
        value: line.value,
        currency: line.currency,
        hs_code: line.hsCode ?? null,
        origin_country: line.originCountry ?? null,
      })),
    );
    return sql`
      declared as (
        insert into intake_declaration (parcel_id, source, external_id, declared_on, office_code, declarant_key, importer_key,
          seller_key, courier_key, attributes, message_id, source_line)
        select inserted.id, d.source, d.external_id, d.declared_on, d.office_code, d.declarant_key, d.importer_key,
          d.seller_key, d.courier_key, d.attributes, ${messageId}, d.source_line
        from ${unnestRows(
          'd',
          {
            carrier_party_id: 'bigint',
            tracking_number: 'text',
            source: 'text',
            external_id: 'text',
            declared_on: 'date',
            office_code: 'text',
            declarant_key: 'text',
            importer_key: 'text',
            seller_key: 'text',
            courier_key: 'text',
            attributes: 'jsonb',
            source_line: 'int',
          },
          items.map(({ record, line }) => ({
            carrier_party_id: carrierId(record),
            tracking_number: record.trackingNumber,
            source: record.channel,
            external_id: `${record.carrierCode}:${record.trackingNumber}`,
            declared_on: record.declaredOn,
            office_code: record.officeCode ?? null,
            declarant_key: record.carrierCode,
            importer_key: record.pccc ?? null,
            seller_key: record.seller?.id ?? null,
            courier_key: record.carrierCode,
            attributes: { category: record.category, departureCountry: record.sender.country },
            source_line: line ?? null,
          })),
        )}
        join inserted using (carrier_party_id, tracking_number)
        returning id, parcel_id
      ),
      declared_lines as (
        insert into intake_declaration_line (declaration_id, line_number, description, quantity, net_mass_kg, value, currency, hs_code, origin_country)
        select declared.id, l.line_number, l.description, l.quantity, l.net_mass_kg, l.value, l.currency, l.hs_code, l.origin_country
        from ${unnestRows(
          'l',
          {
            carrier_party_id: 'bigint',
            tracking_number: 'text',
            ...declarationLineColumns,
          },
          lines,
        )}
        join inserted using (carrier_party_id, tracking_number)
        join declared on declared.parcel_id = inserted.id
      )`;
  }

  /**
   * What became of each record of a batch: `created` for the first copy of a key that the insert stored,
   * `duplicate` or `conflict` for later copies in the batch and for keys stored before (same content hash
   * or not). Earlier records are found through the natural key's unique index.
   */
  private async judgeAgainstStored<T>(
    tx: IntakeDb,
    items: Hashed<T>[],
    keyOf: (record: T) => readonly [number | string, string],
    createdIds: ReadonlyMap<string, number>,
    naturalKey: NaturalKey,
  ): Promise<StoreOutcome[]> {
    const keyText = (record: T) => keyOf(record).join(':');
    const firstIndex = new Map<string, number>();
    items.forEach(({ record }, index) => {
      const key = keyText(record);
      if (!firstIndex.has(key)) firstIndex.set(key, index);
    });
    const storedBefore = new Map<string, { id: number; hash: string }>();
    const wanted = [...firstIndex.keys()]
      .filter((key) => !createdIds.has(key))
      .map((key) => keyOf(items[firstIndex.get(key)!]!.record));
    if (wanted.length > 0) {
      const { rows } = await sql<{ id: number; key: string; hash: string }>`
        select t.id, t.${sql.ref(naturalKey.first)}::text || ':' || t.${sql.ref(naturalKey.second)} as key, ${naturalKey.hash ?? sql`t.content_sha256`} as hash
        from ${sql.table(naturalKey.table)} t
        join unnest(${wanted.map(([first]) => first)}::${sql.raw(naturalKey.firstType)}[], ${wanted.map(([, second]) => second)}::text[]) as w(first, second)
          on t.${sql.ref(naturalKey.first)} = w.first and t.${sql.ref(naturalKey.second)} = w.second`.execute(
        tx,
      );
      for (const row of rows) storedBefore.set(row.key, { id: row.id, hash: row.hash });
    }
    return items.map(({ record, hash }, index) => {
      const key = keyText(record);
      const createdId = createdIds.get(key);
      if (createdId !== undefined) {
        if (firstIndex.get(key) === index) return { status: 'created', id: createdId };
        return {
          status: items[firstIndex.get(key)!]!.hash === hash ? 'duplicate' : 'conflict',
          id: createdId,
        };
      }
      const known = storedBefore.get(key)!;
      return { status: known.hash === hash ? 'duplicate' : 'conflict', id: known.id };
    });
  }

  async storeOrders(
    tx: IntakeDb,
    messageId: number,
    items: Hashed<MarketplaceOrder>[],
  ): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const parties: PartyInput[] = items.flatMap(({ record }) => [
      { kind: 'marketplace' as const, key: record.marketplace },
      {
        kind: 'seller' as const,
        key: record.seller.id,
        name: record.seller.name,
        country: record.seller.country,
        registrationNumber: record.seller.registrationNumber,
      },
    ]);
    const partyIds = await this.ensureParties(tx, parties);
    const marketplaceId = (order: MarketplaceOrder) =>
      partyIds.get(partyRef('marketplace', order.marketplace))!;
    const inserted = await unnestInsert(
      'intake_order',
      {
        marketplace_party_id: 'bigint',
        order_number: 'text',
        seller_party_id: 'bigint',
        listing_url: 'text',
        product_title: 'text',
        price_paid: 'numeric',
        currency: 'text',
        quantity: 'numeric',
        buyer_pccc: 'text',
        buyer_name: 'text',
        deliver_to: 'jsonb',
        tracking_number: 'text',
        split_from_waybill: 'text',
        ordered_at: 'timestamptz',
        content_sha256: 'text',
        message_id: 'bigint',
        source_line: 'int',
      },
      items.map(({ record, hash, line }) => ({
        marketplace_party_id: marketplaceId(record),
        order_number: record.orderNumber,
        seller_party_id: partyIds.get(partyRef('seller', record.seller.id))!,
        listing_url: record.listingUrl ?? null,
        product_title: record.productTitle,
        price_paid: record.pricePaid,
        currency: record.currency,
        quantity: record.quantity ?? null,
        buyer_pccc: record.buyer?.pccc ?? null,
        buyer_name: record.buyer?.name ?? null,
        deliver_to: record.deliverTo ?? null,
        tracking_number: record.trackingNumber?.toUpperCase() ?? null,
        split_from_waybill: record.splitFromWaybill ?? null,
        ordered_at: record.orderedAt,
        content_sha256: hash,
        message_id: messageId,
        source_line: line ?? null,
      })),
      sql`on conflict (marketplace_party_id, order_number) do nothing returning id, marketplace_party_id, order_number`,
    ).execute(tx);
    const createdIds = new Map(
      (inserted.rows as { id: number; marketplace_party_id: number; order_number: string }[]).map((row) => [
        `${row.marketplace_party_id}:${row.order_number}`,
        row.id,
      ]),
    );
    return this.judgeAgainstStored(
      tx,
      items,
      (order) => [marketplaceId(order), order.orderNumber],
      createdIds,
      ORDER_KEY,
    );
  }

  async storePayments(tx: IntakeDb, messageId: number, items: Hashed<Payment>[]): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const partyIds = await this.ensureParties(
      tx,
      items.map(({ record }) => ({ kind: 'marketplace' as const, key: record.marketplace })),
    );
    const marketplaceId = (payment: Payment) => partyIds.get(partyRef('marketplace', payment.marketplace))!;
    const inserted = await unnestInsert(
      'intake_payment',
      {
        marketplace_party_id: 'bigint',
        payment_reference: 'text',
        order_number: 'text',
        method: 'text',
        amount: 'numeric',
        currency: 'text',
        foreign_amount: 'numeric',
        foreign_currency: 'text',
        paid_at: 'timestamptz',
        payer_name: 'text',
        content_sha256: 'text',
        message_id: 'bigint',
        source_line: 'int',
      },
      items.map(({ record, hash, line }) => ({
        marketplace_party_id: marketplaceId(record),
        payment_reference: record.paymentReference,
        order_number: record.orderNumber,
        method: record.method,
        amount: record.amount,
        currency: record.currency,
        foreign_amount: record.foreignAmount ?? null,
        foreign_currency: record.foreignCurrency ?? null,
        paid_at: record.paidAt,
        payer_name: record.payerName ?? null,
        content_sha256: hash,
        message_id: messageId,
        source_line: line ?? null,
      })),
      sql`on conflict (marketplace_party_id, payment_reference) do nothing returning id, marketplace_party_id, payment_reference`,
    ).execute(tx);
    const createdIds = new Map(
      (inserted.rows as { id: number; marketplace_party_id: number; payment_reference: string }[]).map(
        (row) => [`${row.marketplace_party_id}:${row.payment_reference}`, row.id],
      ),
    );
    return this.judgeAgainstStored(
      tx,
      items,
      (payment) => [marketplaceId(payment), payment.paymentReference],
      createdIds,
      PAYMENT_KEY,
    );
  }

  /**
   * Stores historical KCS declarations with their outcome (Fraud, Critical Fraud) as inspection results,
   * so that the risk model trains from the database. The declaration id is the natural key.
   */
  async storeKcsDeclarations(
    tx: IntakeDb,
    messageId: number,
    items: Hashed<KcsDeclaration>[],
  ): Promise<StoreOutcome[]> {
    if (items.length === 0) return [];
    const firstIndexById = new Map<string, number>();
    items.forEach(({ record }, index) => {
      if (!firstIndexById.has(record.declarationId)) firstIndexById.set(record.declarationId, index);
    });
    const unique = [...firstIndexById.values()].map((index) => items[index]!);
    const inserted = await unnestInsert(
      'intake_declaration',
      {
        source: 'text',
        external_id: 'text',
        declared_on: 'date',
        office_code: 'text',
        declarant_key: 'text',
        importer_key: 'text',
        seller_key: 'text',
        courier_key: 'text',
        attributes: 'jsonb',
        message_id: 'bigint',
        source_line: 'int',
      },
      unique.map(({ record, hash, line }) => ({
        source: 'kcs',
        external_id: record.declarationId,
        declared_on: record.date,
        office_code: record.officeId,
        declarant_key: record.declarantId,
        importer_key: record.importerId,
        seller_key: record.sellerId ?? null,
        courier_key: record.courierId ?? null,
        attributes: { ...kcsAttributes(record), contentSha256: hash },
        message_id: messageId,
        source_line: line ?? null,
      })),
      sql`on conflict (source, external_id) do nothing returning id, external_id`,
    ).execute(tx);
    const createdIds = new Map(
      (inserted.rows as { id: number; external_id: string }[]).map((row) => [row.external_id, row.id]),
    );
    const created = unique.filter(({ record }) => createdIds.has(record.declarationId));
    if (created.length > 0) {
      await unnestInsert(
        'intake_declaration_line',
        {
          declaration_id: 'bigint',
          ...declarationLineColumns,
        },
        created.map(({ record }) => ({
          declaration_id: createdIds.get(record.declarationId)!,
          line_number: 1,
          description: `HS ${record.hs6Code}`,
          quantity: '1',
          net_mass_kg: String(record.netMassKg),
          value: String(record.itemPriceKrw),
          currency: 'KRW',
          hs_code: record.hs6Code,
          origin_country: record.originCountry,
        })),
      ).execute(tx);
      await unnestInsert(
        'intake_inspection_outcome',
        { declaration_id: 'bigint', fraud: 'boolean', critical_level: 'smallint', source: 'text' },
        created
          .filter(({ record }) => record.fraud !== undefined)
          .map(({ record }) => ({
            declaration_id: createdIds.get(record.declarationId)!,
            fraud: record.fraud === 1,
            critical_level: record.criticalFraud ?? (record.fraud === 1 ? 1 : 0),
            source: 'kcs-history',
          })),
      ).execute(tx);
    }
    const createdByKey = new Map([...createdIds].map(([externalId, id]) => [`kcs:${externalId}`, id]));
    return this.judgeAgainstStored(
      tx,
      items,
      (record) => ['kcs', record.declarationId],
      createdByKey,
      KCS_DECLARATION_KEY,
    );
  }
}

/** A parcel with everything intake knows about it, as read from the database. */
export interface StoredParcel {
  id: number;
  channel: 'postal' | 'express';
  trackingNumber: string;
  carrierCode: string;
  masterWaybill: string | null;
  flight: string | null;
  pccc: string | null;
  officeCode: string | null;
  category: string | null;
  sender: Record<string, unknown>;
  addressee: Record<string, unknown>;
  seller: {
    id: string;
    name: string | null;
    country: string | null;
    registrationNumber: string | null;
    registrationStatus: string | null;
  } | null;
  grossMassKg: string | null;
  pieces: number | null;
  declaredValue: string;
  currency: string;
  freightValue: string | null;
  insuranceValue: string | null;
  arrivalDate: string | null;
  declaredOn: string | null;
  documents: Record<string, unknown> | null;
  receivedAt: Date;
  messageId: number;
  declarationId: number | null;
  lines: {
    lineNumber: number;
    description: string;
    quantity: string;
    netMassKg: string | null;
    value: string;
    currency: string;
    hsCode: string | null;
    originCountry: string | null;
  }[];
  orders: {
    marketplace: string;
    orderNumber: string;
    productTitle: string;
    pricePaid: string;
    currency: string;
    listingUrl: string | null;
    orderedAt: Date;
    sellerId: string | null;
    splitFromWaybill: string | null;
  }[];
  payments: {
    marketplace: string;
    paymentReference: string;
    orderNumber: string;
    method: string;
    amount: string;
    currency: string;
    foreignAmount: string | null;
    foreignCurrency: string | null;
    paidAt: Date;
  }[];
}

const dateText = (value: Date | string | null): string | null =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);

export async function findParcel(db: IntakeDb, parcelId: number): Promise<StoredParcel | undefined> {
  return (await findParcels(db, [parcelId]))[0];
}

/** Parcels by id (unknown ids left out), in one query. */
export async function findParcels(db: IntakeDb, parcelIds: readonly number[]): Promise<StoredParcel[]> {
  if (parcelIds.length === 0) return [];
  const months = await receiptTimes(db, sql`parcel_id = any(${[...new Set(parcelIds)]}::bigint[])`);
  if (months.parcelIds.length === 0) return [];
  // One query, lines, orders and payments nested as JSON: clearance reads every new parcel this way.
  const rows = await db
    .selectFrom('intake_parcel as p')
    .innerJoin('intake_party as carrier', 'carrier.id', 'p.carrier_party_id')
    .leftJoin('intake_master_waybill as m', 'm.id', 'p.master_waybill_id')
    .leftJoin('intake_party as seller', 'seller.id', 'p.seller_party_id')
    .leftJoin('intake_declaration as d', 'd.parcel_id', 'p.id')
    .select([
      'p.id',
      'p.channel',
      'p.tracking_number',
      'carrier.party_key as carrier_code',
      'm.mawb',
      'm.flight',
      'p.pccc',
      'p.office_code',
      'p.category',
      'p.sender',
      'p.addressee',
      'seller.party_key as seller_key',
      'seller.name as seller_name',
      'seller.country as seller_country',
      'seller.registration_number as seller_registration',
      'seller.registration_status as seller_status',
      'p.gross_mass_kg',
      'p.pieces',
      'p.declared_value',
      'p.currency',
      'p.freight_value',
      'p.insurance_value',
      'p.arrival_date',
      'p.documents',
      'p.received_at',
      'p.message_id',
      'd.id as declaration_id',
      'd.declared_on',
    ])
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('intake_declaration_line as l')
          .select([
            'l.line_number',
            'l.description',
            sql<string>`l.quantity::text`.as('quantity'),
            sql<string | null>`l.net_mass_kg::text`.as('net_mass_kg'),
            sql<string>`l.value::text`.as('value'),
            'l.currency',
            'l.hs_code',
            'l.origin_country',
          ])
          .whereRef('l.declaration_id', '=', 'd.id')
          .orderBy('l.line_number'),
      ).as('lines'),
      jsonArrayFrom(
        eb
          .selectFrom('intake_order as o')
          .innerJoin('intake_party as mp', 'mp.id', 'o.marketplace_party_id')
          .leftJoin('intake_party as s', 's.id', 'o.seller_party_id')
          .select([
            'mp.party_key as marketplace',
            'o.order_number',
            'o.product_title',
            sql<string>`o.price_paid::text`.as('price_paid'),
            'o.currency',
            'o.listing_url',
            'o.ordered_at',
            'o.split_from_waybill',
            's.party_key as seller_key',
          ])
          .whereRef('o.tracking_number', '=', 'p.tracking_number')
          .orderBy('o.id'),
      ).as('orders'),
      jsonArrayFrom(
        eb
          .selectFrom('intake_payment as pay')
          .innerJoin('intake_party as mp', 'mp.id', 'pay.marketplace_party_id')
          .innerJoin('intake_order as o', (join) =>
            join
              .onRef('o.marketplace_party_id', '=', 'pay.marketplace_party_id')
              .onRef('o.order_number', '=', 'pay.order_number'),
          )
          .select([
            'mp.party_key as marketplace',
            'pay.payment_reference',
            'pay.order_number',
            'pay.method',
            sql<string>`pay.amount::text`.as('amount'),
            'pay.currency',
            sql<string | null>`pay.foreign_amount::text`.as('foreign_amount'),
            'pay.foreign_currency',
            'pay.paid_at',
          ])
          .whereRef('o.tracking_number', '=', 'p.tracking_number')
          .orderBy('pay.id'),
      ).as('payments'),
    ])
    .where('p.id', 'in', months.parcelIds)
    .where(months.inTheirMonths)
    .orderBy('p.id')
    .execute();
  return rows.map((parcel) => {
    const { lines, orders, payments } = parcel;
    return {
      id: parcel.id,
      channel: parcel.channel,
      trackingNumber: parcel.tracking_number,
      carrierCode: parcel.carrier_code,
      masterWaybill: parcel.mawb,
      flight: parcel.flight,
      pccc: parcel.pccc,
      officeCode: parcel.office_code,
      category: parcel.category,
      sender: parcel.sender as Record<string, unknown>,
      addressee: parcel.addressee as Record<string, unknown>,
      seller: parcel.seller_key
        ? {
            id: parcel.seller_key,
            name: parcel.seller_name,
            country: parcel.seller_country,
            registrationNumber: parcel.seller_registration,
            registrationStatus: parcel.seller_status,
          }
        : null,
      grossMassKg: parcel.gross_mass_kg,
      pieces: parcel.pieces,
      declaredValue: parcel.declared_value,
      currency: parcel.currency,
      freightValue: parcel.freight_value,
      insuranceValue: parcel.insurance_value,
      arrivalDate: dateText(parcel.arrival_date as Date | string | null),
      declaredOn: dateText(parcel.declared_on as Date | string | null),
      documents: parcel.documents as Record<string, unknown> | null,
      receivedAt: parcel.received_at,
      messageId: parcel.message_id,
      declarationId: parcel.declaration_id,
      lines: lines.map((line) => ({
        lineNumber: line.line_number,
        description: line.description,
        quantity: line.quantity,
        netMassKg: line.net_mass_kg,
        value: line.value,
        currency: line.currency,
        hsCode: line.hs_code,
        originCountry: line.origin_country,
      })),
      orders: orders.map((order) => ({
        marketplace: order.marketplace,
        orderNumber: order.order_number,
        productTitle: order.product_title,
        pricePaid: order.price_paid,
        currency: order.currency,
        listingUrl: order.listing_url,
        orderedAt: new Date(order.ordered_at),
        sellerId: order.seller_key,
        splitFromWaybill: order.split_from_waybill,
      })),
      payments: payments.map((payment) => ({
        marketplace: payment.marketplace,
        paymentReference: payment.payment_reference,
        orderNumber: payment.order_number,
        method: payment.method,
        amount: payment.amount,
        currency: payment.currency,
        foreignAmount: payment.foreign_amount,
        foreignCurrency: payment.foreign_currency,
        paidAt: new Date(payment.paid_at),
      })),
    };
  });
}

/** A declaration with its main line and, when it was inspected, the outcome (a training label). */
export interface DeclarationHistoryRow {
  declarationId: number;
  source: 'postal' | 'express' | 'kcs';
  declaredOn: string;
  officeCode: string | null;
  declarantKey: string | null;
  importerKey: string | null;
  sellerKey: string | null;
  courierKey: string | null;
  attributes: Record<string, unknown>;
  hsCode: string | null;
  netMassKg: string | null;
  value: string;
  currency: string;
  originCountry: string | null;
  outcome: { fraud: boolean; criticalLevel: number } | null;
}

/**
 * Declarations of a period in date order, a page at a time (keyset paging, so memory stays flat whatever
 * the history size); only the inspected ones when `inspectedOnly`. The main line of a multi-line
 * declaration is its most valuable one.
 */
export async function* readDeclarationHistory(
  db: IntakeDb,
  range: { from?: string; to?: string },
  options: { inspectedOnly: boolean; pageSize?: number },
): AsyncGenerator<DeclarationHistoryRow[]> {
  let after: { day: string; id: number } = { day: '0001-01-01', id: 0 };
  const outcomeJoin = options.inspectedOnly ? sql`join` : sql`left join`;
  for (;;) {
    const { rows } = await sql<{
      id: number;
      source: DeclarationHistoryRow['source'];
      declared_on: string;
      office_code: string | null;
      declarant_key: string | null;
      importer_key: string | null;
      seller_key: string | null;
      courier_key: string | null;
      attributes: Record<string, unknown>;
      hs_code: string | null;
      net_mass_kg: string | null;
      value: string;
      currency: string;
      origin_country: string | null;
      fraud: boolean | null;
      critical_level: number | null;
    }>`
      select d.id, d.source, to_char(d.declared_on, 'YYYY-MM-DD') as declared_on, d.office_code, d.declarant_key, d.importer_key,
        d.seller_key, d.courier_key, d.attributes, l.hs_code, l.net_mass_kg::text, l.value::text, l.currency, l.origin_country,
        o.fraud, o.critical_level
      from intake_declaration d
      ${outcomeJoin} intake_inspection_outcome o on o.declaration_id = d.id
      join lateral (
        select * from intake_declaration_line where declaration_id = d.id order by value desc, line_number limit 1
      ) l on true
      where (d.declared_on, d.id) > (${after.day}::date, ${after.id})
        and (${range.from ?? null}::date is null or d.declared_on >= ${range.from ?? null}::date)
        and (${range.to ?? null}::date is null or d.declared_on <= ${range.to ?? null}::date)
      order by d.declared_on, d.id
      limit ${options.pageSize ?? 5000}`.execute(db);
    if (rows.length === 0) return;
    yield rows.map((row) => ({
      declarationId: row.id,
      source: row.source,
      declaredOn: row.declared_on,
      officeCode: row.office_code,
      declarantKey: row.declarant_key,
      importerKey: row.importer_key,
      sellerKey: row.seller_key,
      courierKey: row.courier_key,
      attributes: row.attributes,
      hsCode: row.hs_code,
      netMassKg: row.net_mass_kg,
      value: row.value,
      currency: row.currency,
      originCountry: row.origin_country,
      outcome: row.fraud === null ? null : { fraud: row.fraud, criticalLevel: row.critical_level ?? 0 },
    }));
    const last = rows[rows.length - 1]!;
    after = { day: last.declared_on, id: last.id };
  }
}

/**
 * Records the outcome of an inspection of a declaration: a training label. A later outcome never lowers
 * an earlier one (a "no finding" after a seizure keeps the fraud and its critical level).
 */
export async function recordInspectionOutcome(
  db: IntakeDb,
  declarationId: number,
  outcome: { fraud: boolean; criticalLevel: 0 | 1 | 2; source: string },
): Promise<void> {
  await sql`
    insert into intake_inspection_outcome (declaration_id, fraud, critical_level, source)
    values (${declarationId}, ${outcome.fraud}, ${outcome.criticalLevel}, ${outcome.source})
    on conflict (declaration_id) do update set fraud = intake_inspection_outcome.fraud or excluded.fraud,
      critical_level = greatest(intake_inspection_outcome.critical_level, excluded.critical_level),
      source = excluded.source, recorded_at = now()`.execute(db);
}

/** Parcels received per day, channel, carrier and office: the volumes of the dashboard. */
export async function dailyParcelVolumes(
  db: IntakeDb,
  range: { from: string; to: string; utcOffsetMinutes: number },
) {
  // The day a parcel arrives; one without an arrival date counts on the office calendar day it was
  // received (a parcel received at 00:30 in the office's time counts on that day).
  const shift = sql`make_interval(mins => ${range.utcOffsetMinutes})`;
  const { rows } = await sql<{
    day: string;
    channel: 'postal' | 'express';
    carrier: string;
    office: string | null;
    parcels: number;
  }>`
    select to_char(coalesce(p.arrival_date, (p.received_at at time zone 'UTC') + ${shift}), 'YYYY-MM-DD') as day,
      p.channel, c.party_key as carrier, p.office_code as office, count(*)::int as parcels
    from intake_parcel p join intake_party c on c.id = p.carrier_party_id
    where p.arrival_date between ${range.from}::date and ${range.to}::date
      or (p.arrival_date is null
        and p.received_at >= ${range.from}::date - ${shift} and p.received_at < ${range.to}::date + 1 - ${shift})
    group by 1, 2, 3, 4 order by 1`.execute(db);
  return rows;
}

/** A parcel as a search result: enough to tell several apart and open one. */
export interface ParcelReference {
  id: number;
  trackingNumber: string;
  carrierCode: string;
  channel: 'postal' | 'express';
  receivedAt: string;
}

/** Which parcels a listing returns: the caller's own scope (carrier or importer) and the reader's filters. */
export interface ParcelListFilter {
  trackingNumber?: string;
  channel?: 'postal' | 'express';
  carrierCode?: string;
  pccc?: string;
  /** Arrival days, inclusive (YYYY-MM-DD); parcels without an arrival date count on the day they were received. */
  arrivedFrom?: string;
  arrivedTo?: string;
  /** Keyset paging: only parcels with a smaller id (the newest come first). */
  beforeId?: number;
  limit: number;
}

/** A parcel in a listing: a reference plus what tells parcels apart at a glance. */
export interface ParcelListItem extends ParcelReference {
  arrivalDate: string;
  declaredValue: number;
  currency: string;
}

/**
 * When the parcels that `keyCondition` picks from their keys were received (migration 0225): a condition
 * on the parcels' partition key that makes a read of those parcels prune to the months holding them,
 * instead of probing every monthly partition. The times travel as text: a JavaScript date would drop
 * their microseconds and match nothing.
 */
async function receiptTimes(
  db: IntakeDb,
  keyCondition: RawBuilder<unknown>,
): Promise<{ parcelIds: number[]; inTheirMonths: RawBuilder<boolean> }> {
  const { rows } = await sql<{ parcel_id: number; received_at: string }>`
    select k.parcel_id, k.received_at::text from intake_parcel_key k where ${keyCondition}`.execute(db);
  const times = [...new Set(rows.map((row) => row.received_at))];
  return {
    parcelIds: rows.map((row) => Number(row.parcel_id)),
    inTheirMonths: sql<boolean>`p.received_at = any(${times}::timestamptz[])`,
  };
}

/** Parcels newest first, filtered, one page at a time (keyset on the id, so paging stays fast on any size). */
export async function listParcels(db: IntakeDb, filter: ParcelListFilter): Promise<ParcelListItem[]> {
  const tracking = filter.trackingNumber;
  // A tracking number is found through the parcels' keys, one primary-key probe per carrier, and the
  // parcels then read in the months they were received in.
  const tracked = tracking
    ? await receiptTimes(
        db,
        sql`k.tracking_number = any(${[tracking, tracking.toUpperCase()]}::text[])
          and k.carrier_party_id in (select id from intake_party where kind in ('carrier', 'postal_operator'))`,
      )
    : undefined;
  if (tracked?.parcelIds.length === 0) return [];
  const { rows } = await sql<{
    id: number;
    tracking_number: string;
    carrier_code: string;
    channel: 'postal' | 'express';
    received_at: Date;
    arrival_day: string;
    declared_value: string;
    currency: string;
  }>`
    select p.id, p.tracking_number, c.party_key as carrier_code, p.channel, p.received_at,
      to_char(coalesce(p.arrival_date, (p.received_at at time zone 'UTC')::date), 'YYYY-MM-DD') as arrival_day,
      p.declared_value::text, p.currency
    from intake_parcel p join intake_party c on c.id = p.carrier_party_id
    where ${tracked ? sql`p.id = any(${tracked.parcelIds}::bigint[]) and ${tracked.inTheirMonths}` : sql`true`}
      and (${filter.channel ?? null}::text is null or p.channel = ${filter.channel ?? null})
      and (${filter.carrierCode ?? null}::text is null or upper(c.party_key) = upper(${filter.carrierCode ?? null}))
      and (${filter.pccc ?? null}::text is null or p.pccc = ${filter.pccc ?? null})
      and (${filter.arrivedFrom ?? null}::date is null
        or coalesce(p.arrival_date, (p.received_at at time zone 'UTC')::date) >= ${filter.arrivedFrom ?? null}::date)
      and (${filter.arrivedTo ?? null}::date is null
        or coalesce(p.arrival_date, (p.received_at at time zone 'UTC')::date) <= ${filter.arrivedTo ?? null}::date)
      and (${filter.beforeId ?? null}::bigint is null or p.id < ${filter.beforeId ?? null}::bigint)
    order by p.id desc limit ${filter.limit}`.execute(db);
  return rows.map((row) => ({
    id: Number(row.id),
    trackingNumber: row.tracking_number,
    carrierCode: row.carrier_code,
    channel: row.channel,
    receivedAt: row.received_at.toISOString(),
    arrivalDate: row.arrival_day,
    declaredValue: Number(row.declared_value),
    currency: row.currency,
  }));
}

/** The office of each parcel (for statistics that another module counts per parcel). */
export async function officesOfParcels(
  db: IntakeDb,
  parcelIds: readonly number[],
): Promise<Map<number, string | null>> {
  if (parcelIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; office_code: string | null }>`
    select id, office_code from intake_parcel where id = any(${[...parcelIds]}::bigint[])`.execute(db);
  return new Map(rows.map((row) => [row.id, row.office_code]));
}

/**
 * The PCCC of each parcel that has one: a prepared statement of one column, for the subscribers that
 * meet every stored parcel and need the whole declaration of almost none.
 */
export async function pcccsOfParcels(
  db: IntakeDb,
  parcelIds: readonly number[],
): Promise<Map<number, string>> {
  if (parcelIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; pccc: string }>`${prepared}
    select id, pccc from intake_parcel where id = any(${[...parcelIds]}::bigint[]) and pccc is not null`.execute(
    db,
  );
  return new Map(rows.map((row) => [row.id, row.pccc]));
}
