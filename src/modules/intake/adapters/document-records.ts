import type { FieldError } from '../../../platform/errors/field-error.js';
import { manifestHeaderSchema, validateManifestHeader } from '../domain/express-manifest.js';
import { IntakeError } from '../intake.errors.js';
import {
  decodeUtf8,
  jsonArrayRecords,
  readCsvRecords,
  readItmattXml,
  textChunks,
  type RawRecord,
} from './record-sources.js';

/**
 * How documents become raw records before validation: JSON bodies, express manifests (a header with its
 * house waybills) and express CSV (one row per declaration line). Parsing only: what a record must
 * hold is checked by the validators in domain/, what is stored by the service.
 */

/** The first few field errors in one line, for a message. */
export function describeErrors(errors: FieldError[]): string {
  return errors
    .slice(0, 5)
    .map((error) => `${error.path || '(record)'} ${error.message}`)
    .join('; ');
}

const HEADER_FIELDS = new Set(Object.keys(manifestHeaderSchema.shape));

/** Splits a flat express record (CSV row group or JSON house with its header) into header and house. */
export function splitHouseRecord(record: Record<string, unknown>): {
  header: Record<string, unknown>;
  house: Record<string, unknown>;
} {
  const header: Record<string, unknown> = {};
  const house: Record<string, unknown> = {};
  for (const key in record) (HEADER_FIELDS.has(key) ? header : house)[key] = record[key];
  return { header, house };
}

/**
 * Express CSV has one row per declaration line; consecutive rows with the same `hawb` are one house
 * waybill, whose non-line columns are taken from its first row.
 */
export async function* groupRowsByHouseWaybill(rows: AsyncIterable<RawRecord>): AsyncGenerator<RawRecord> {
  let current: { line: number; record: Record<string, unknown>; lines: unknown[] } | undefined;
  const finish = (): RawRecord | undefined => {
    if (!current) return undefined;
    // The first row's own object becomes the house: its `line` column gives way to all the lines.
    const record = current.record;
    delete record.line;
    record.lines = current.lines;
    return { kind: 'record', line: current.line, record };
  };
  for await (const row of rows) {
    if (row.kind === 'malformed') {
      yield row;
      continue;
    }
    const hawb = row.record.hawb;
    if (current && hawb !== undefined && hawb === current.record.hawb) {
      current.lines.push(row.record.line ?? {});
      continue;
    }
    const done = finish();
    if (done) yield done;
    current = { line: row.line, record: row.record, lines: [row.record.line ?? {}] };
  }
  const done = finish();
  if (done) yield done;
}

export async function* manifestHouses(body: unknown): AsyncGenerator<RawRecord> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    yield {
      kind: 'malformed',
      line: 1,
      message: 'an express manifest must be a JSON object with the manifest header and "houses"',
    };
    return;
  }
  const { houses, ...header } = body as Record<string, unknown>;
  const headerCheck = validateManifestHeader(header);
  if (!headerCheck.ok) {
    throw new IntakeError(
      'invalid_record',
      `The manifest header is invalid: ${describeErrors(headerCheck.errors)}`,
      { fieldErrors: headerCheck.errors },
    );
  }
  if (!Array.isArray(houses) || houses.length === 0) {
    throw new IntakeError('invalid_record', 'The manifest must list its house waybills in "houses"', {
      fieldErrors: [
        {
          path: 'houses',
          value: undefined,
          rule: 'required',
          message: 'must be a non-empty array of house waybills',
        },
      ],
    });
  }
  let index = 0;
  for (const house of houses) {
    index++;
    yield house && typeof house === 'object' && !Array.isArray(house)
      ? { kind: 'record', line: index, record: { ...header, ...(house as Record<string, unknown>) } }
      : { kind: 'malformed', line: index, message: `houses/${index - 1} must be a JSON object` };
  }
}

export function parseJsonDocument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new IntakeError('malformed_document', `The file is not valid JSON: ${(error as Error).message}`);
  }
}

/** The formats a document may come in over HTTP or as a file. */
export type DocumentFormat = 'json' | 'xml' | 'csv';

/** The raw records of a whole document of a channel, in its format (a request body, a JSON file). */
export function recordsOfDocument(
  channel: 'postal' | 'express' | 'orders' | 'payments',
  format: DocumentFormat,
  body: unknown,
): AsyncIterable<RawRecord> {
  if (format === 'xml') {
    if (channel !== 'postal')
      throw new IntakeError('malformed_document', 'XML documents are accepted for postal items only');
    return readItmattXml(textChunks(String(body)));
  }
  if (format === 'csv') {
    const rows = readCsvRecords(decodeUtf8(textChunks(String(body))));
    return channel === 'express' ? groupRowsByHouseWaybill(rows) : rows;
  }
  if (channel === 'express') return manifestHouses(body);
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items)
      ? (body as { items: unknown[] }).items
      : [body];
  return jsonArrayRecords(list);
}
