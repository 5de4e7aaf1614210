import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { describeActor, isOfficer, isParcelOperator, mayReadParcel } from '../../platform/auth/actor.js';
import type { FieldError } from '../../platform/errors/field-error.js';
import { CommonError } from '../../platform/errors/module-error.js';
import type { EventOutbox } from '../../platform/events/event-outbox.js';
import { defineTopic } from '../../platform/events/topic.js';
import { contentHash, type ParcelRecord } from './domain/parcel-record.js';
import type { MarketplaceOrder, Payment } from './domain/marketplace-records.js';
import type { KcsDeclaration } from './domain/kcs-declaration.js';
import { describeErrors, recordsOfDocument, type DocumentFormat } from './adapters/document-records.js';
import { formatOfFile, readFileRecords, type FileReading } from './adapters/file-records.js';
import { readFileInWorker } from './adapters/file-reader.js';
import {
  postalChecks,
  prepareRecords,
  recordChecks,
  type IntakeChannel,
  type Item,
  type PreparedRecord,
  type RecordChecks,
} from './intake.record-checks.js';
import { IntakeError } from './intake.errors.js';
import type {
  DeclarationHistoryRow,
  Hashed,
  IntakeDb,
  IntakeRepository,
  StoreOutcome,
} from './intake.repository.js';
import type { NewMessage, ParcelListFilter, ParcelListItem } from './intake.repository.js';
import type { BulkImportRepository, BulkSession } from './intake.bulk-import.repository.js';
import type { StagedParcel } from './adapters/staged-parcel.js';
import type { StagedKcsDeclaration } from './adapters/staged-kcs-declaration.js';
import type { ParcelView } from './intake.views.js';
import { toParcelView } from './intake.views.js';

export type { IntakeChannel } from './intake.record-checks.js';
export type { DocumentFormat } from './adapters/document-records.js';

/** What became of each record of a document, and of the document as a whole. */
export interface IntakeSummary {
  messageId: number;
  received: number;
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  /** Field-level errors of rejected records (the first 1,000). */
  errors: FieldError[];
  /** A per-record account, for documents sent over HTTP (not kept for large files). */
  records?: { line: number; status: StoreOutcome['status'] | 'rejected'; id?: number }[];
}

export interface ImportProgress {
  records: number;
  bytesRead: number;
  totalBytes: number;
}

/** What intake stored: new parcels (to take into clearance and decide), orders and payments. */
export interface IntakeStoredEvent {
  kind: 'parcels' | 'orders' | 'payments';
  ids: number[];
}

/**
 * Asked before any submission by a carrier or post is read: throws to refuse it (partners: no agreement
 * in force). Set once at start-up.
 */
export type SubmissionGate = (actor: Actor) => Promise<void>;

/** Told, after the commit and in the background, of records stored; at least once, so it must be idempotent. */
export type IntakeListener = (event: IntakeStoredEvent) => Promise<void>;

/** Published in the transaction that stores parcels, orders or payments; subscribe with `onStored`. */
export const STORED_TOPIC = defineTopic<IntakeStoredEvent>('intake.stored');
/** Ids handed to a listener at once: events of one delivery are merged, then cut to this size. */
const LISTENER_BATCH = 2000;

/** A channel's checks (`recordChecks`) and how its records are stored. */
interface ChannelHandler<
  T,
  Staged extends { line: number } = Hashed<T> & { line: number },
> extends RecordChecks<T, Staged> {
  store(tx: IntakeDb, messageId: number, items: Hashed<T>[]): Promise<StoreOutcome[]>;
  /** The same as `store` through COPY and set-wise merges, for files; absent where not written yet. */
  bulkStore?(session: BulkSession, messageId: number, items: Staged[]): Promise<StoreOutcome[]>;
  /**
   * For one import, what is run and committed before each `bulkStore` transaction (see
   * `BulkImportRepository.referencedRowsWriter`).
   */
  bulkPrepare?(bulk: BulkImportRepository): (items: Staged[]) => Promise<void>;
  event?: 'parcels' | 'orders' | 'payments';
}

const MAX_REPORTED_ERRORS = 1000;
/** Records per transaction: large enough to amortise round trips, small enough to keep memory flat. */
const BATCH_SIZE = 2000;
/** Records per COPY transaction of a file import: set-wise merges gain from larger batches. */
const BULK_BATCH_SIZE = 10_000;
/**
 * Batches a file import writes at once on PostgreSQL: the server merges each on a core of its own while
 * this process parses; one core is left to the parser.
 */
export const DEFAULT_IMPORT_WRITERS = Math.max(1, Math.min(8, availableParallelism() - 1));
/** Records read between two turns of the event loop while a batch is being written. */
const YIELD_EVERY = 50;
/**
 * Files from this size are read by a thread of their own. Starting it costs about three quarters of a
 * second (the thread loads the checks' modules again), about what reading 8 MiB of express manifest
 * costs this thread; from 32 MiB the thread was measured to shorten an import.
 */
const READ_IN_WORKER_FROM_BYTES = 32 << 20;

/** Intake use cases: receive, validate and store electronic parcel data from every channel. */
export class IntakeService {
  private submissionGate: SubmissionGate = async () => undefined;

  constructor(
    private readonly repository: IntakeRepository,
    private readonly events: EventOutbox,
    /** COPY-based writes for file imports; without it files go through the batched inserts of HTTP documents. */
    private readonly bulk?: BulkImportRepository,
    /** Where consumers' reads of parcels are recorded (every consumer access to a parcel is audited). */
    private readonly audit?: AuditTrail,
  ) {}

  /** Puts a check in front of every submission (see `SubmissionGate`). */
  setSubmissionGate(gate: SubmissionGate): void {
    this.submissionGate = gate;
  }

  /**
   * Subscribes `listener` (under a name unique to it) to the records intake stores. The events are
   * written in the same transaction as the records, so a listener is never told of a record that was
   * not committed and never misses one, even when the process stops right after the commit.
   */
  onStored(subscriber: string, listener: IntakeListener): void {
    this.events.subscribe(STORED_TOPIC, subscriber, async (events) => {
      for (const kind of ['parcels', 'orders', 'payments'] as const) {
        const ids = events.filter((event) => event.kind === kind).flatMap((event) => event.ids);
        for (let start = 0; start < ids.length; start += LISTENER_BATCH)
          await listener({ kind, ids: ids.slice(start, start + LISTENER_BATCH) });
      }
    });
  }

  /**
   * Receives one CN23 item as JSON. Answers `created` once it is committed, or `duplicate` with the
   * first copy's id when the same item (same S10 id, same content) was received before.
   */
  async receivePostalItem(
    actor: Actor,
    input: unknown,
    idempotencyKey?: string,
  ): Promise<{ id: number; status: 'created' | 'duplicate' }> {
    assertMaySubmit(actor);
    await this.submissionGate(actor);
    const handler = { ...postalChecks(actor), ...parcelStorage(this.repository) };
    const validated = handler.validate(input as Record<string, unknown>, 1);
    if (!validated.ok) {
      throw new IntakeError(
        'invalid_record',
        `The postal item is invalid: ${describeErrors(validated.errors)}`,
        { fieldErrors: validated.errors },
      );
    }
    const body = JSON.stringify(input);
    const replay = await this.replayIdempotent(actor, idempotencyKey, body);
    if (replay) return { id: replay.records![0]!.id!, status: 'duplicate' };
    const message: NewMessage = {
      channel: 'postal',
      format: 'json',
      transport: 'http',
      contentSha256: sha256(body),
      byteSize: Buffer.byteLength(body),
      body,
      idempotencyKey,
      submittedBy: describeActor(actor),
    };
    const item = { record: validated.value, hash: contentHash(validated.value), line: 1 };
    // A new parcel: one statement (message, parcel, summary and event). A copy of a stored one: a
    // transaction that judges it against the first and records the message with that outcome.
    const created = await this.repository.storeParcelAlone(message, item, {
      summary: singleSummary(0, { status: 'created', id: 0 }),
      event: { kind: 'parcels', ids: [] } satisfies IntakeStoredEvent,
      record: (payloads) => this.events.recording(STORED_TOPIC, payloads),
    });
    if (created) return { id: created.parcelId, status: 'created' };
    const { outcome, messageId } = await this.repository.transaction(async (tx) => {
      const messageId = await this.repository.createMessage(tx, message);
      const [outcome] = await handler.store(tx, messageId, [item]);
      const summary = singleSummary(messageId, outcome!);
      if (outcome!.status === 'created')
        await this.events.publish(
          tx,
          STORED_TOPIC,
          { kind: 'parcels', ids: [outcome!.id] } satisfies IntakeStoredEvent,
          this.repository.messageSummaryUpdate(messageId, summary),
        );
      else await this.repository.setMessageSummary(tx, messageId, summary);
      return { outcome: outcome!, messageId };
    });
    if (outcome.status === 'conflict') {
      throw new IntakeError(
        'duplicate_with_other_content',
        `Item ${validated.value.trackingNumber} was already received with different content (parcel ${outcome.id}); send an amendment instead`,
        { parcelId: outcome.id, messageId },
      );
    }
    return { id: outcome.id, status: outcome.status };
  }

  /** Receives a whole document (ITMATT XML, manifest JSON or CSV, orders, payments) sent over HTTP. */
  async receiveDocument(
    actor: Actor,
    channel: Exclude<IntakeChannel, 'kcs'>,
    format: DocumentFormat,
    body: string | unknown,
    idempotencyKey?: string,
  ): Promise<IntakeSummary> {
    assertMaySubmit(actor);
    await this.submissionGate(actor);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const replay = await this.replayIdempotent(actor, idempotencyKey, text);
    if (replay) return replay;
    const records = recordsOfDocument(channel, format, body);
    return this.ingest(actor, channel, format, (checks) => prepareRecords(checks, records, false), {
      transport: 'http',
      body: text,
      idempotencyKey,
      keepRecords: true,
    });
  }

  /**
   * Streams a file of any size into the database in batches, in constant memory. Each batch is validated
   * record by record as over HTTP, then written with COPY into staging tables and merged set-wise (where
   * the channel has a bulk writer), by up to `writers` transactions at once on PostgreSQL.
   */
  async importFile(
    actor: Actor,
    channel: IntakeChannel,
    path: string,
    onProgress?: (progress: ImportProgress) => void,
    writers = DEFAULT_IMPORT_WRITERS,
    /** Whether a worker thread reads the file; by default, files of 32 MiB and more. */
    readInWorker?: boolean,
  ): Promise<IntakeSummary> {
    assertMaySubmit(actor);
    await this.submissionGate(actor);
    const totalBytes = (await stat(path)).size;
    const reading: FileReading = { bytesRead: 0 };
    // A large file is read, checked and hashed by a thread of its own while this one writes batches.
    const records = (checks: RecordChecks<unknown, Item>, stage: boolean) =>
      (readInWorker ?? totalBytes >= READ_IN_WORKER_FROM_BYTES)
        ? readFileInWorker({ actor, channel, path, stage }, reading)
        : prepareRecords(checks, readFileRecords(channel, path, reading), stage);
    return this.ingest(actor, channel, formatOfFile(path), records, {
      transport: 'file',
      fileName: path.split('/').pop(),
      fileSha256: () => reading.fileSha256!,
      byteSize: totalBytes,
      writers,
      onProgress: onProgress
        ? (done) => onProgress({ records: done, bytesRead: reading.bytesRead, totalBytes })
        : undefined,
    });
  }

  async getParcel(actor: Actor, parcelId: number): Promise<ParcelView> {
    const parcel = await this.repository.findParcel(parcelId);
    if (!parcel) throw new IntakeError('parcel_not_found', `No parcel ${parcelId}`);
    if (!mayReadParcel(actor, parcel)) {
      // Same answer as a missing parcel: an id alone must not reveal that someone else's parcel exists.
      throw new IntakeError('not_your_parcel', `No parcel ${parcelId}`).answeredAs('parcel_not_found');
    }
    if (actor.kind === 'consumer')
      await this.audit?.append({ actor, action: 'intake.parcel_viewed', subject: `parcel:${parcelId}` });
    return toParcelView(parcel, actor);
  }

  /**
   * Several parcels in one read (modules that take in a batch, such as clearance): those the caller may
   * read, in id order; unknown ids and other callers' parcels are left out alike.
   */
  async getParcels(actor: Actor, parcelIds: readonly number[]): Promise<ParcelView[]> {
    const parcels = await this.repository.findParcels(parcelIds);
    return parcels
      .filter((parcel) => mayReadParcel(actor, parcel))
      .map((parcel) => toParcelView(parcel, actor));
  }

  /** Whether any parcel was ever received (first-start data is loaded only into an empty database). */
  holdsParcels(): Promise<boolean> {
    return this.repository.holdsParcels();
  }

  /**
   * Parcels the caller may see, newest first, one page at a time: officers see every parcel, a carrier or
   * post its own, a consumer those under their proved PCCC (whatever `pccc` the filter names).
   * `nextBeforeId` asks for the following page. A consumer's listing is audited like a read.
   */
  async listParcels(
    actor: Actor,
    filter: ParcelListFilter,
  ): Promise<{ items: ParcelListItem[]; nextBeforeId?: number }> {
    const scoped = scopeOfListing(actor, filter);
    if (!scoped) return { items: [] };
    // One row more than asked tells whether another page follows without counting the whole table.
    const rows = await this.repository.listParcels({ ...scoped, limit: filter.limit + 1 });
    const items = rows.slice(0, filter.limit);
    if (actor.kind === 'consumer' && items.length > 0)
      await this.audit?.append({
        actor,
        action: 'intake.parcels_listed',
        subject: `account:${actor.accountId}`,
        details: { parcelIds: items.map((item) => item.id) },
      });
    return rows.length > filter.limit ? { items, nextBeforeId: items.at(-1)!.id } : { items };
  }

  /**
   * The declarations of a period (only the inspected ones, with their outcomes, when `inspectedOnly`), in
   * date order and in pages: the training history of the risk model and the sample its drift is measured
   * on. Only analysts may read it.
   */
  readDeclarationHistory(
    actor: Actor,
    range: { from?: string; to?: string },
    options: { inspectedOnly: boolean },
  ): AsyncGenerator<DeclarationHistoryRow[]> {
    if (!isOfficer(actor, 'data_analyst', 'targeting_analyst'))
      throw new CommonError('forbidden', 'Only analysts may read the declaration history');
    return this.repository.readDeclarationHistory(range, options);
  }

  /** Parcels received per day, channel, carrier and office; officers only. */
  async dailyVolumes(actor: Actor, range: { from: string; to: string; utcOffsetMinutes: number }) {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    return this.repository.dailyParcelVolumes(range);
  }

  /** The office of each parcel; officers only. */
  async officesOfParcels(actor: Actor, parcelIds: readonly number[]): Promise<Map<number, string | null>> {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Statistics are for customs officers');
    return this.repository.officesOfParcels(parcelIds);
  }

  /** The PCCC of each parcel that has one; the system and officers only. */
  async pcccsOfParcels(actor: Actor, parcelIds: readonly number[]): Promise<Map<number, string>> {
    if (!isOfficer(actor)) throw new CommonError('forbidden', 'Only customs officers may read codes in bulk');
    return this.repository.pcccsOfParcels(parcelIds);
  }

  /** The parcels that marketplace orders are about: for the modules that re-decide or re-group on late orders. */
  /** Stores the outcome of an inspection of a parcel's declaration as the label the risk model learns from. */
  async recordInspectionOutcome(
    actor: Actor,
    parcelId: number,
    outcome: { fraud: boolean; criticalLevel: 0 | 1 | 2 },
  ): Promise<void> {
    if (!isOfficer(actor, 'inspector', 'xray_analyst'))
      throw new CommonError('forbidden', 'Only inspectors record inspection outcomes');
    const parcel = await this.repository.findParcel(parcelId);
    if (!parcel?.declarationId) throw new IntakeError('parcel_not_found', `No parcel ${parcelId}`);
    await this.repository.recordInspectionOutcome(parcel.declarationId, {
      ...outcome,
      source: 'inspection',
    });
  }

  private handlerFor(actor: Actor, channel: IntakeChannel): ChannelHandler<unknown, Item> {
    const checks = recordChecks(actor, channel);
    switch (channel) {
      case 'postal':
      case 'express':
        return { ...checks, ...parcelStorage(this.repository) } as ChannelHandler<unknown, Item>;
      case 'orders':
        return {
          ...checks,
          store: (tx, id, items) => this.repository.storeOrders(tx, id, items as Hashed<MarketplaceOrder>[]),
          event: 'orders',
        };
      case 'payments':
        return {
          ...checks,
          store: (tx, id, items) => this.repository.storePayments(tx, id, items as Hashed<Payment>[]),
          event: 'payments',
        };
      case 'kcs':
        return {
          ...checks,
          store: (tx, id, items) =>
            this.repository.storeKcsDeclarations(tx, id, items as Hashed<KcsDeclaration>[]),
          bulkStore: (session, id, items) =>
            session.storeKcsDeclarations(id, items as StagedKcsDeclaration[]),
        };
    }
  }

  /**
   * The common path of every document: read records, validate each on its own, store valid ones in
   * committed batches, and count what happened. A bad record never costs the good ones.
   */
  private async ingest(
    actor: Actor,
    channel: IntakeChannel,
    format: DocumentFormat,
    /** The document's records, read and checked with these checks (and staged for a bulk store if asked). */
    records: (checks: RecordChecks<unknown, Item>, stage: boolean) => AsyncIterable<PreparedRecord>,
    options: {
      transport: 'http' | 'file';
      body?: string;
      fileName?: string;
      /** For files, the content hash is known only once the whole file has been read. */
      fileSha256?: () => string;
      byteSize?: number;
      idempotencyKey?: string;
      keepRecords?: boolean;
      /** Batches written at once (files on PostgreSQL). */
      writers?: number;
      onProgress?: (recordsDone: number) => void;
    },
  ): Promise<IntakeSummary> {
    const handler = this.handlerFor(actor, channel);
    const messageId = await this.repository.transaction((tx) =>
      this.repository.createMessage(tx, {
        channel,
        format,
        transport: options.transport,
        fileName: options.fileName,
        contentSha256: options.fileSha256 ? 'pending' : sha256(options.body ?? ''),
        byteSize: options.byteSize ?? Buffer.byteLength(options.body ?? ''),
        body: options.body,
        idempotencyKey: options.idempotencyKey,
        submittedBy: describeActor(actor),
      }),
    );
    const summary: IntakeSummary = {
      messageId,
      received: 0,
      accepted: 0,
      duplicates: 0,
      conflicts: 0,
      rejected: 0,
      errors: [],
    };
    if (options.keepRecords) summary.records = [];
    const reject = (errors: FieldError[], line: number) => {
      summary.rejected++;
      summary.records?.push({ line, status: 'rejected' });
      for (const error of errors) if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push(error);
    };

    // Files go through COPY where the channel has a bulk writer; documents over HTTP keep their batched
    // inserts (one small transaction, answered as soon as it commits).
    const bulkStore = options.transport === 'file' && this.bulk?.available ? handler.bulkStore : undefined;
    const writers = bulkStore ? this.bulk!.writersFor(options.writers ?? 1) : 1;
    const batchSize = bulkStore ? BULK_BATCH_SIZE : BATCH_SIZE;
    const prepareBatch = bulkStore ? handler.bulkPrepare?.(this.bulk!) : undefined;
    const storeBatch = (items: Item[]) => {
      const publishCreated = async (tx: IntakeDb, stored: StoreOutcome[]) => {
        const created = stored.filter((outcome) => outcome.status === 'created').map((outcome) => outcome.id);
        if (handler.event && created.length > 0)
          await this.events.publish(tx, STORED_TOPIC, {
            kind: handler.event,
            ids: created,
          } satisfies IntakeStoredEvent);
        return stored;
      };
      return bulkStore
        ? (async () => {
            await prepareBatch?.(items);
            return this.bulk!.transaction(async (session) =>
              publishCreated(session.tx, await bulkStore(session, messageId, items)),
            );
          })()
        : this.repository.transaction(async (tx) =>
            // Staged only for a bulk store: here every item is the hashed record.
            publishCreated(tx, await handler.store(tx, messageId, items as Hashed<unknown>[])),
          );
    };
    const record = (outcome: StoreOutcome, line: number) => {
      summary.records?.push({ line, status: outcome.status, id: outcome.id });
      if (outcome.status === 'created') summary.accepted++;
      else if (outcome.status === 'duplicate') summary.duplicates++;
      else {
        summary.conflicts++;
        reject(
          [
            {
              path: '',
              value: undefined,
              rule: 'duplicate-with-other-content',
              message: `already received with different content (record ${outcome.id})`,
              line,
            },
          ],
          line,
        );
        summary.rejected--;
      }
    };
    // A value the validators let through and the database refused (the net under them): the batch is
    // stored again in halves, down to the record at fault, so that only it is lost, with its line.
    const storeOrSplit = async (items: Item[]): Promise<void> => {
      try {
        const outcomes = await storeBatch(items);
        outcomes.forEach((outcome, index) => record(outcome, items[index]!.line));
      } catch (error) {
        if (!isRefusedData(error)) throw error;
        if (items.length === 1) {
          reject([storageRefusal(error, items[0]!.line)], items[0]!.line);
          return;
        }
        const half = Math.ceil(items.length / 2);
        await storeOrSplit(items.slice(0, half));
        await storeOrSplit(items.slice(half));
      }
    };

    // Each writer has its batch and commits its batches in file order; a record's key picks its writer,
    // so every copy of one key meets the same writer and the first one in the file is the one stored.
    // While writers store (on PostgreSQL the server works on its own cores), this process reads on.
    const batches: Item[][] = Array.from({ length: writers }, () => []);
    const writing: Promise<void>[] = Array.from({ length: writers }, () => Promise.resolve());
    const flush = async (writer: number) => {
      const current = batches[writer]!;
      if (current.length === 0) return;
      batches[writer] = [];
      await storeOrSplit(current);
      options.onProgress?.(summary.received);
    };
    const flushInBackground = async (writer: number) => {
      await writing[writer];
      const flushing = flush(writer);
      flushing.catch(() => undefined); // a failure is raised by the next await of this writer
      writing[writer] = flushing;
    };

    try {
      for await (const prepared of records(handler, bulkStore !== undefined)) {
        summary.received++;
        if (prepared.kind === 'refused') {
          reject(prepared.errors, prepared.line);
          continue;
        }
        const writer = writers === 1 ? 0 : writerOfKey(prepared.key, writers);
        const batch = batches[writer]!;
        batch.push(prepared.item);
        if (batch.length >= batchSize) await flushInBackground(writer);
        // Parsing buffered input never waits for I/O, so without a pause now and then the database's
        // answers to the batch being written would wait until the next file read.
        else if (batch.length % YIELD_EVERY === 0) await new Promise(setImmediate);
      }
    } finally {
      await Promise.allSettled(writing);
    }
    await Promise.all(writing);
    for (let writer = 0; writer < writers; writer++) await flush(writer);
    // Writers finish out of file order: the first errors reported are the first in the file.
    summary.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    summary.records?.sort((a, b) => a.line - b.line);
    await this.repository.transaction((tx) =>
      this.repository.setMessageSummary(tx, messageId, summary, options.fileSha256?.()),
    );
    return summary;
  }

  private async replayIdempotent(
    actor: Actor,
    key: string | undefined,
    body: string,
  ): Promise<IntakeSummary | undefined> {
    if (!key) return undefined;
    const earlier = await this.repository.findMessageByIdempotencyKey(describeActor(actor), key);
    if (!earlier) return undefined;
    if (earlier.content_sha256 !== sha256(body)) {
      throw new IntakeError(
        'idempotency_key_reused',
        `Idempotency-Key ${key} was used before for a different request (message ${earlier.id})`,
      );
    }
    return earlier.summary as IntakeSummary;
  }
}

/** The writer of a key: FNV-1a of its text, so that one key always meets the same writer. */
function writerOfKey(key: string, writers: number): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % writers;
}

/** How postal items and express house waybills are stored: both are parcels. */
function parcelStorage(
  repository: IntakeRepository,
): Pick<ChannelHandler<ParcelRecord, StagedParcel>, 'store' | 'bulkStore' | 'bulkPrepare' | 'event'> {
  return {
    store: (tx, messageId, items) => repository.storeParcels(tx, messageId, items),
    bulkStore: (session, messageId, items) => session.storeParcels(messageId, items),
    bulkPrepare: (bulk) => bulk.referencedRowsWriter(),
    event: 'parcels',
  };
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): the data, not the database, is at fault. */
function isRefusedData(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

function storageRefusal(error: unknown, line: number): FieldError {
  const column = (error as { column?: unknown }).column;
  return {
    path: typeof column === 'string' ? column : '',
    value: undefined,
    rule: 'storage',
    message: `could not be stored (database code ${(error as { code: string }).code}); the other records were`,
    line,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function singleSummary(messageId: number, outcome: StoreOutcome): IntakeSummary {
  return {
    messageId,
    received: 1,
    accepted: outcome.status === 'created' ? 1 : 0,
    duplicates: outcome.status === 'duplicate' ? 1 : 0,
    conflicts: outcome.status === 'conflict' ? 1 : 0,
    rejected: 0,
    errors: [],
    records: [{ line: 1, status: outcome.status, id: outcome.id }],
  };
}

/**
 * Parcel data comes from carriers and posts (their own, checked record by record), from officers, and
 * from the system (imports); consumers, agencies and sellers only read what concerns them.
 */
function assertMaySubmit(actor: Actor): void {
  const submits = actor.kind === 'system' || actor.kind === 'officer' || isParcelOperator(actor);
  if (!submits)
    throw new CommonError(
      'forbidden',
      'Only carriers, postal operators and customs officers submit parcel data',
    );
}

/** The listing filter narrowed to what the caller may see; undefined when they may see no parcel at all. */
function scopeOfListing(actor: Actor, filter: ParcelListFilter): ParcelListFilter | undefined {
  switch (actor.kind) {
    case 'system':
      return filter;
    case 'officer':
      return isOfficer(actor) ? filter : undefined;
    case 'organisation': {
      if (!isParcelOperator(actor)) return undefined;
      const own = actor.organisation.toUpperCase();
      if (filter.carrierCode && filter.carrierCode.toUpperCase() !== own) return undefined;
      return { ...filter, carrierCode: own };
    }
    case 'consumer':
      // A consumer who has not proved a code sees no parcel (a null filter would mean every parcel).
      return actor.pccc === null ? undefined : { ...filter, pccc: actor.pccc };
  }
}
