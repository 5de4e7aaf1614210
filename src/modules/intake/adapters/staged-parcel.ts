import { copyTextRow } from '../../../platform/db/copy-text.js';
import type { ParcelRecord } from '../domain/parcel-record.js';
import type { Hashed } from '../intake.repository.js';

/**
 * A parcel as a bulk import holds it until its batch is written: its COPY rows (flat strings, without
 * the batch position that `storeParcels` puts in front) and the references it names. Held as the record
 * itself, every parcel kept about thirty objects alive from its validation to its batch's commit, for
 * each young-generation collection to copy (garbage collection was a quarter of an import's process time).
 */
export interface StagedParcel {
  readonly line: number;
  readonly parcelRow: string;
  readonly lineRows: readonly string[];
  readonly references: Pick<
    ParcelRecord,
    'carrierKind' | 'carrierCode' | 'pccc' | 'seller' | 'masterWaybill' | 'flight' | 'arrivalDate'
  >;
}

/** A validated, hashed parcel as a bulk import holds it (see `StagedParcel`). */
export function stageParcel({ record, hash, line }: Hashed<ParcelRecord> & { line: number }): StagedParcel {
  return {
    line,
    parcelRow: copyTextRow([
      line,
      record.channel,
      record.trackingNumber,
      record.carrierKind,
      record.carrierCode,
      record.masterWaybill,
      record.flight,
      record.arrivalDate,
      record.seller?.id,
      record.seller?.name,
      record.seller?.country,
      record.seller?.registrationNumber,
      record.pccc,
      record.officeCode,
      record.category,
      JSON.stringify(record.sender),
      JSON.stringify(record.addressee),
      record.grossMassKg,
      record.pieces,
      record.declaredValue,
      record.currency,
      record.freightValue,
      record.insuranceValue,
      record.documents === undefined ? undefined : JSON.stringify(record.documents),
      hash,
      record.declaredOn,
    ]),
    lineRows: record.lines.map((declared, index) =>
      copyTextRow([
        index + 1,
        declared.description,
        declared.quantity,
        declared.netMassKg,
        declared.value,
        declared.currency,
        declared.hsCode,
        declared.originCountry,
      ]),
    ),
    references: {
      carrierKind: record.carrierKind,
      carrierCode: record.carrierCode,
      pccc: record.pccc,
      seller: record.seller,
      masterWaybill: record.masterWaybill,
      flight: record.flight,
      arrivalDate: record.arrivalDate,
    },
  };
}

/**
 * The staging tables' columns in the order of the rows above, `seq` (the batch position) first: kept
 * beside the rows so that the two orders are changed together.
 */
export const STAGED_PARCEL_COLUMNS = [
  'seq',
  'line',
  'channel',
  'tracking_number',
  'carrier_kind',
  'carrier_code',
  'master_waybill',
  'flight',
  'arrival_date',
  'seller_id',
  'seller_name',
  'seller_country',
  'seller_registration',
  'pccc',
  'office_code',
  'category',
  'sender',
  'addressee',
  'gross_mass_kg',
  'pieces',
  'declared_value',
  'currency',
  'freight_value',
  'insurance_value',
  'documents',
  'content_sha256',
  'declared_on',
] as const;
export const STAGED_LINE_COLUMNS = [
  'seq',
  'line_number',
  'description',
  'quantity',
  'net_mass_kg',
  'value',
  'currency',
  'hs_code',
  'origin_country',
] as const;
