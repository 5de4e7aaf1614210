import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { FieldError, Validated } from '../../../platform/errors/field-error.js';

/**
 * One import declaration in the format of the Korea Customs Service synthetic data set (Jeong et al. 2022,
 * 22 columns, one item per row). Identifiers stay strings even where the file writes digits, because
 * they are codes, not quantities (an HS code `010121` must keep its leading zero).
 */
export interface KcsDeclaration {
  declarationId: string;
  /** Acceptance date, ISO `YYYY-MM-DD`. */
  date: string;
  officeId: string;
  processType: string;
  importType: string;
  importUse: string;
  paymentType: string;
  transportMode: string;
  declarantId: string;
  importerId: string;
  /** Absent for about 10 % of declarations. */
  sellerId?: string;
  /** Absent for most declarations (only courier shipments carry one). */
  courierId?: string;
  /** Six-digit HS code, zero-padded. */
  hs6Code: string;
  departureCountry: string;
  originCountry: string;
  /** Duty rate in percent. */
  taxRate: number;
  taxType: string;
  originIndicator: string;
  netMassKg: number;
  itemPriceKrw: number;
  /** Inspection outcome: 1 when the declaration was found fraudulent. Absent for unlabelled files. */
  fraud?: 0 | 1;
  /** 0 none, 1 fraud, 2 critical fraud (public safety: drugs, IPR, false origin). Absent when unlabelled. */
  criticalFraud?: 0 | 1 | 2;
}

/** The KCS columns kept as the declaration's attributes: those without a column of their own. */
export function kcsAttributes(record: KcsDeclaration): Record<string, unknown> {
  const {
    declarationId: _id,
    date: _date,
    officeId: _office,
    declarantId: _declarant,
    importerId: _importer,
    sellerId: _seller,
    courierId: _courier,
    fraud: _fraud,
    criticalFraud: _critical,
    ...rest
  } = record;
  return rest;
}

/** Column names exactly as the KCS files spell them. */
export const KCS_COLUMNS = [
  'Declaration ID',
  'Date',
  'Office ID',
  'Process Type',
  'Import Type',
  'Import Use',
  'Payment Type',
  'Mode of Transport',
  'Declarant ID',
  'Importer ID',
  'Seller ID',
  'Courier ID',
  'HS6 Code',
  'Country of Departure',
  'Country of Origin',
  'Tax Rate',
  'Tax Type',
  'Country of Origin Indicator',
  'Net Mass',
  'Item Price',
  'Fraud',
  'Critical Fraud',
] as const;

export type KcsColumn = (typeof KCS_COLUMNS)[number];

const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const CODE_SHAPE = /^[A-Za-z0-9]{1,20}$/;
const COUNTRY_SHAPE = /^[A-Z]{2}$/;
const HS6_SHAPE = /^\d{1,6}$/;

/**
 * The cells of one record and the problems found in them. The checks are methods rather than closures
 * made anew for each of the many rows of a file.
 */
class KcsRowCheck {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly record: Record<string, string | undefined>,
    private readonly line: number | undefined,
  ) {}

  cell(column: KcsColumn): string {
    return (this.record[column] ?? '').trim();
  }

  fail(column: KcsColumn, value: unknown, rule: string, message: string): void {
    this.errors.push({
      path: column,
      value,
      rule,
      message,
      ...(this.line === undefined ? {} : { line: this.line }),
    });
  }

  required(column: KcsColumn): string {
    const value = this.cell(column);
    if (value === '') this.fail(column, value, 'required', `${column} is required.`);
    return value;
  }

  code(column: KcsColumn): string {
    const value = this.required(column);
    if (value !== '' && !CODE_SHAPE.test(value))
      this.fail(column, value, 'code-shape', `${column} must be 1-20 letters or digits.`);
    return value;
  }

  optionalCode(column: KcsColumn): string | undefined {
    const value = this.cell(column);
    if (value === '') return undefined;
    if (!CODE_SHAPE.test(value))
      this.fail(column, value, 'code-shape', `${column} must be 1-20 letters or digits.`);
    return value;
  }

  country(column: KcsColumn): string {
    const value = this.required(column).toUpperCase();
    if (value !== '' && !COUNTRY_SHAPE.test(value))
      this.fail(column, value, 'country-code', `${column} must be a two-letter ISO country code.`);
    return value;
  }

  nonNegative(column: KcsColumn): number {
    const raw = this.required(column);
    const value = Number(raw);
    if (raw !== '' && (!Number.isFinite(value) || value < 0)) {
      this.fail(column, raw, 'non-negative-number', `${column} must be a number of zero or more.`);
    }
    return value;
  }
}

/**
 * Parses and validates one CSV record (column name -> cell). Every problem is reported, not just the first,
 * so that an import summary can show all of them at once.
 */
export function parseKcsDeclaration(
  record: Record<string, string | undefined>,
  line?: number,
): Validated<KcsDeclaration> {
  const row = new KcsRowCheck(record, line);
  const date = row.required('Date');
  if (date !== '' && (!DATE_SHAPE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) {
    row.fail('Date', date, 'iso-date', 'Date must be a calendar date written YYYY-MM-DD.');
  }
  const hs6Raw = row.required('HS6 Code');
  if (hs6Raw !== '' && !HS6_SHAPE.test(hs6Raw))
    row.fail('HS6 Code', hs6Raw, 'hs-code-shape', 'HS6 Code must be six digits.');
  // Files exported through spreadsheets drop the leading zero of chapters 01-09.
  const hs6Code = hs6Raw.padStart(6, '0');

  const fraudRaw = row.cell('Fraud');
  let fraud: 0 | 1 | undefined;
  if (fraudRaw !== '') {
    if (fraudRaw === '0' || fraudRaw === '1') fraud = Number(fraudRaw) as 0 | 1;
    else row.fail('Fraud', fraudRaw, 'label-0-1', 'Fraud must be 0 or 1.');
  }
  const criticalRaw = row.cell('Critical Fraud');
  let criticalFraud: 0 | 1 | 2 | undefined;
  if (criticalRaw !== '') {
    if (criticalRaw === '0' || criticalRaw === '1' || criticalRaw === '2')
      criticalFraud = Number(criticalRaw) as 0 | 1 | 2;
    else row.fail('Critical Fraud', criticalRaw, 'label-0-1-2', 'Critical Fraud must be 0, 1 or 2.');
  }
  if (fraud !== undefined && criticalFraud !== undefined && (fraud === 0) !== (criticalFraud === 0)) {
    row.fail(
      'Critical Fraud',
      criticalRaw,
      'labels-consistent',
      'Critical Fraud must be 0 exactly when Fraud is 0.',
    );
  }

  const value: KcsDeclaration = {
    declarationId: row.code('Declaration ID'),
    date,
    officeId: row.code('Office ID'),
    processType: row.code('Process Type'),
    importType: row.code('Import Type'),
    importUse: row.code('Import Use'),
    paymentType: row.code('Payment Type'),
    transportMode: row.code('Mode of Transport'),
    declarantId: row.code('Declarant ID'),
    importerId: row.code('Importer ID'),
    hs6Code,
    departureCountry: row.country('Country of Departure'),
    originCountry: row.country('Country of Origin'),
    taxRate: row.nonNegative('Tax Rate'),
    taxType: row.code('Tax Type'),
    originIndicator: row.code('Country of Origin Indicator'),
    netMassKg: row.nonNegative('Net Mass'),
    itemPriceKrw: row.nonNegative('Item Price'),
  };
  const sellerId = row.optionalCode('Seller ID');
  if (sellerId !== undefined) value.sellerId = sellerId;
  const courierId = row.optionalCode('Courier ID');
  if (courierId !== undefined) value.courierId = courierId;
  if (fraud !== undefined) value.fraud = fraud;
  if (criticalFraud !== undefined) value.criticalFraud = criticalFraud;

  return row.errors.length > 0 ? { ok: false, errors: row.errors } : { ok: true, value };
}

/** One record of a KCS file with its 1-based line number, validated. */
export type KcsRecordResult = Validated<KcsDeclaration> & { line: number };

/**
 * Streams a KCS CSV file record by record (constant memory, whatever the file size). A file that lacks a
 * required column fails at once with an error naming it, rather than producing one error per row.
 */
export async function* readKcsDeclarations(path: string): AsyncGenerator<KcsRecordResult> {
  const parser = createReadStream(path).pipe(
    parse({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }),
  );
  let headerChecked = false;
  for await (const item of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    if (!headerChecked) {
      const missing = KCS_COLUMNS.filter(
        (column) => column !== 'Fraud' && column !== 'Critical Fraud' && !(column in item.record),
      );
      if (missing.length > 0)
        throw new Error(`${path}: not a KCS declarations file, missing columns: ${missing.join(', ')}`);
      headerChecked = true;
    }
    const line = item.info.lines;
    yield { ...parseKcsDeclaration(item.record, line), line };
  }
}
