import type { Actor } from '../../platform/auth/actor.js';
import type { FieldError, Validated } from '../../platform/errors/field-error.js';
import { contentHash, type ParcelRecord } from './domain/parcel-record.js';
import { postalItemToParcel, validatePostalItem } from './domain/postal-item.js';
import {
  houseWaybillToParcel,
  validateHouseWaybill,
  validateManifestHeader,
  type ManifestHeader,
} from './domain/express-manifest.js';
import {
  validateMarketplaceOrder,
  validatePayment,
  type MarketplaceOrder,
  type Payment,
} from './domain/marketplace-records.js';
import { parseKcsDeclaration, type KcsDeclaration } from './domain/kcs-declaration.js';
import type { RawRecord } from './adapters/record-sources.js';
import { splitHouseRecord } from './adapters/document-records.js';
import type { Hashed } from './intake.repository.js';
import { stageParcel, type StagedParcel } from './adapters/staged-parcel.js';
import { stageKcsDeclaration, type StagedKcsDeclaration } from './adapters/staged-kcs-declaration.js';

export type IntakeChannel = 'postal' | 'express' | 'orders' | 'payments' | 'kcs';

/** A record of a batch: hashed, or as its channel stages it for a bulk import. */
export type Item = (Hashed<unknown> & { line: number }) | StagedParcel | StagedKcsDeclaration;

/**
 * What a channel checks of each record for a caller, how it keys it and what a bulk import holds of it:
 * no database here, so that a thread reading a file runs exactly the checks of the service.
 */
export interface RecordChecks<T, Staged extends { line: number } = Hashed<T> & { line: number }> {
  validate(record: Record<string, unknown>, line: number): Validated<T>;
  /**
   * The record's natural key: records with one key go to one writer, so that with several writers the
   * first copy in the file is still the one stored.
   */
  keyOf(record: T): string;
  /**
   * What a bulk import holds of a valid record until its batch is written (see `stageParcel`); without
   * it, the record itself.
   */
  bulkStage?(item: Hashed<T> & { line: number }): Staged;
}

export function recordChecks(actor: Actor, channel: IntakeChannel): RecordChecks<unknown, Item> {
  switch (channel) {
    case 'postal':
      return postalChecks(actor) as RecordChecks<unknown, Item>;
    case 'express':
      return expressChecks(actor) as RecordChecks<unknown, Item>;
    case 'orders':
      return {
        validate: validateMarketplaceOrder,
        keyOf: (order: MarketplaceOrder) => `${order.marketplace}\u0000${order.orderNumber}`,
      } as RecordChecks<unknown, Item>;
    case 'payments':
      return {
        validate: validatePayment,
        keyOf: (payment: Payment) => `${payment.marketplace}\u0000${payment.paymentReference}`,
      } as RecordChecks<unknown, Item>;
    case 'kcs':
      return {
        validate: (record, line) => parseKcsDeclaration(record as Record<string, string>, line),
        keyOf: (declaration: KcsDeclaration) => declaration.declarationId,
        bulkStage: stageKcsDeclaration,
      } satisfies RecordChecks<KcsDeclaration, StagedKcsDeclaration> as RecordChecks<unknown, Item>;
  }
}

export function postalChecks(actor: Actor): RecordChecks<ParcelRecord, StagedParcel> {
  const ownOperator = actor.kind === 'organisation' ? actor.organisation : undefined;
  return {
    validate: (record, line) => {
      const validated = validatePostalItem(record, line);
      if (!validated.ok) return validated;
      const parcel = postalItemToParcel(validated.value, ownOperator ?? 'UNKNOWN');
      const problem = carrierProblem(actor, parcel.carrierCode, 'postalOperator', line);
      return problem ? { ok: false, errors: [problem] } : { ok: true, value: parcel };
    },
    ...parcelKeying,
  };
}

function expressChecks(actor: Actor): RecordChecks<ParcelRecord, StagedParcel> {
  return {
    validate: (record, line) => {
      const { header: rawHeader, house: rawHouse } = splitHouseRecord(record);
      const header = validateManifestHeader(rawHeader, line);
      const house = validateHouseWaybill(rawHouse, line);
      if (!header.ok || !house.ok)
        return {
          ok: false,
          errors: [...(header.ok ? [] : header.errors), ...(house.ok ? [] : house.errors)],
        };
      const parcel = houseWaybillToParcel(header.value as ManifestHeader, house.value);
      const problem = carrierProblem(actor, parcel.carrierCode, 'carrier', line);
      return problem ? { ok: false, errors: [problem] } : { ok: true, value: parcel };
    },
    ...parcelKeying,
  };
}

/** Postal items and express house waybills are both parcels, keyed by carrier and tracking number. */
const parcelKeying: Pick<RecordChecks<ParcelRecord, StagedParcel>, 'keyOf' | 'bulkStage'> = {
  keyOf: (parcel) => `${parcel.carrierKind}\u0000${parcel.carrierCode}\u0000${parcel.trackingNumber}`,
  bulkStage: stageParcel,
};

/** A carrier or post submits only its own parcels. */
function carrierProblem(
  actor: Actor,
  carrierCode: string,
  field: string,
  line: number,
): FieldError | undefined {
  if (actor.kind !== 'organisation' || actor.organisation.toUpperCase() === carrierCode.toUpperCase())
    return undefined;
  return {
    path: field,
    value: carrierCode,
    rule: 'own-organisation',
    message: `you may only submit data for your own organisation ${actor.organisation}`,
    line,
  };
}

/** A record read and checked: valid (hashed, keyed, and staged where asked), or refused with its errors. */
export type PreparedRecord =
  | { kind: 'valid'; line: number; key: string; item: Item }
  | { kind: 'refused'; line: number; errors: FieldError[] };

/** Checks, hashes and (for a bulk import) stages each record read, in the order read. */
export async function* prepareRecords(
  checks: RecordChecks<unknown, Item>,
  records: AsyncIterable<RawRecord>,
  stage: boolean,
): AsyncGenerator<PreparedRecord> {
  for await (const raw of records) yield prepareRecord(checks, raw, stage);
}

export function prepareRecord(
  checks: RecordChecks<unknown, Item>,
  raw: RawRecord,
  stage: boolean,
): PreparedRecord {
  if (raw.kind === 'malformed')
    return {
      kind: 'refused',
      line: raw.line,
      errors: [{ path: '', value: undefined, rule: 'malformed', message: raw.message, line: raw.line }],
    };
  const validated = checks.validate(raw.record, raw.line);
  if (!validated.ok)
    return {
      kind: 'refused',
      line: raw.line,
      errors: validated.errors.map((error) => ({ ...error, line: raw.line })),
    };
  const item = { record: validated.value, hash: contentHash(validated.value), line: raw.line };
  return {
    kind: 'valid',
    line: raw.line,
    key: checks.keyOf(validated.value),
    item: stage && checks.bulkStage ? checks.bulkStage(item) : item,
  };
}
