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
 * instead of being stored as mojibake. The complete lines before that byte are still passed on, so the
 * records that came before it are kept.
 */
export async function* strictUtf8(chunks: AsyncIterable<Buffer | string>, counter?: ByteCounter): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  let line = 1;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      const bad = firstInvalidUtf8Offset(bytes);
      const lastNewline = bytes.lastIndexOf(0x0a, bad);
      const goodPart = bytes.subarray(0, lastNewline + 1).toString('utf8');
      if (goodPart) yield goodPart;
      for (const char of goodPart) if (char === '\n') line++;
      throw new EncodingError(`the document is not valid UTF-8: invalid byte 0x${bytes[bad]?.toString(16).padStart(2, '0')} at byte ${offset + bad} (line ${line}); re-encode it as UTF-8`);
    }
    for (const char of text) if (char === '\n') line++;
    offset += bytes.length;
    if (counter) {
      counter.bytesRead = offset;
      counter.sha256.update(bytes);
    }
    yield text;
  }
  try {
    yield decoder.decode();
  } catch {
    throw new EncodingError('the document is not valid UTF-8: it ends inside a multi-byte character');
  }
}

/** Offset of the first byte that breaks UTF-8 (a chunk may also start inside a character: not counted). */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte < 0xe0 ? 2 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xf0 && byte < 0xf5 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) {
      if (index + next >= bytes.length) return bytes.length;
      if ((bytes[index + next]! & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return bytes.length;
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
  // An input error (bad encoding) ends the CSV normally so that the rows read before it are still
  // yielded, and is raised once they have been.
  let inputError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of text) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
    } catch (error) {
      inputError = error;
    }
    parser.end();
  })();
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    yield* malformed.splice(0);
    yield { kind: 'record', line: info.lines, record: csvRowToObject(record) };
  }
  yield* malformed.splice(0);
  await feeding;
  if (inputError) throw inputError;
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
