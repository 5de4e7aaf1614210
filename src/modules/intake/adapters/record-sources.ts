import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvRowToObject } from '../domain/csv-record.js';
import { readItmattXml, type XmlRecord } from '../domain/itmatt-xml.js';

/** One record read from a document, before validation, or the reason the reader could not read it. */
export type RawRecord = XmlRecord;

/** Counts bytes as they pass, so long imports can show progress against the file size. */
export interface ByteCounter {
  bytesRead: number;
  sha256: Hash;
}

/**
 * Decodes UTF-8 strictly: a file in another encoding (EUC-KR, Latin-1) is refused at the first bad byte
 * with its offset instead of being stored as mojibake.
 */
export async function* strictUtf8(chunks: AsyncIterable<Buffer | string>, counter?: ByteCounter): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    try {
      yield decoder.decode(bytes, { stream: true });
    } catch {
      throw new EncodingError(`the document is not valid UTF-8 (first bad byte within bytes ${offset}..${offset + bytes.length})`);
    }
    offset += bytes.length;
    if (counter) {
      counter.bytesRead = offset;
      counter.sha256.update(bytes);
    }
  }
  try {
    yield decoder.decode();
  } catch {
    throw new EncodingError('the document is not valid UTF-8 (it ends inside a multi-byte character)');
  }
}

export class EncodingError extends Error {}

export function fileChunks(path: string): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

export function textChunks(text: string): AsyncIterable<string> {
  return Readable.from([text]);
}

/**
 * CSV rows as nested objects (column names are JSON paths). A row with the wrong number of cells is
 * reported as malformed with its line number and the reading goes on.
 */
export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  const malformed: RawRecord[] = [];
  const parser = parse({
    columns: (header: string[]) => header.map((name) => name.trim()),
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    relax_quotes: false,
  });
  parser.on('skip', (error: Error & { lines?: number }) => {
    malformed.push({ kind: 'malformed', line: error.lines ?? 0, message: `malformed CSV row: ${error.message}` });
  });
  const feeding = (async () => {
    try {
      for await (const chunk of text) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield* malformed.splice(0);
    yield { kind: 'record', line: info.lines, record: csvRowToObject(record) };
  }
  yield* malformed.splice(0);
  await feeding;
}

/** Records of a JSON array (or a single object), numbered from 1 in document order. */
export async function* jsonArrayRecords(items: unknown[]): AsyncGenerator<RawRecord> {
  let index = 0;
  for (const item of items) {
    index++;
    yield item && typeof item === 'object' && !Array.isArray(item)
      ? { kind: 'record', line: index, record: item as Record<string, unknown> }
      : { kind: 'malformed', line: index, message: 'each entry must be a JSON object' };
  }
}

export { readItmattXml };
