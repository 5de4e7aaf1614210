import { copyTextRow } from '../../../platform/db/copy-text.js';
import { kcsAttributes, type KcsDeclaration } from '../domain/kcs-declaration.js';
import type { Hashed } from '../intake.repository.js';

/**
 * A KCS history declaration as a bulk import holds it until its batch is written: its COPY row (without
 * the batch position that `storeKcsDeclarations` puts in front). Written when the record is read, as
 * `stageParcel` does for parcels, so that the batch's writing (on the import's critical path, the
 * database being the longer side) no longer builds 10,000 rows first: 88-127 ms a batch on this
 * machine, beside 500-900 ms for the whole batch (docs/operations.md, "Bulk intake").
 */
export interface StagedKcsDeclaration {
  readonly line: number;
  readonly row: string;
}

export function stageKcsDeclaration({
  record,
  hash,
  line,
}: Hashed<KcsDeclaration> & { line: number }): StagedKcsDeclaration {
  const labelled = record.fraud !== undefined;
  return {
    line,
    row: copyTextRow([
      line,
      record.declarationId,
      record.date,
      record.officeId,
      record.declarantId,
      record.importerId,
      record.sellerId,
      record.courierId,
      JSON.stringify({ ...kcsAttributes(record), contentSha256: hash }),
      record.hs6Code,
      record.netMassKg,
      record.itemPriceKrw,
      record.originCountry,
      labelled ? record.fraud === 1 : undefined,
      labelled ? (record.criticalFraud ?? (record.fraud === 1 ? 1 : 0)) : undefined,
      hash,
    ]),
  };
}

/** The staging table's columns in the order of the row above, `seq` (the batch position) first. */
export const STAGED_KCS_COLUMNS = [
  'seq',
  'line',
  'external_id',
  'declared_on',
  'office_code',
  'declarant_key',
  'importer_key',
  'seller_key',
  'courier_key',
  'attributes',
  'hs6_code',
  'net_mass_kg',
  'value',
  'origin_country',
  'fraud',
  'critical_level',
  'content_sha256',
] as const;
