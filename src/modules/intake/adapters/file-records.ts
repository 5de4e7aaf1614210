import { createHash } from 'node:crypto';
import type { IntakeChannel } from '../intake.record-checks.js';
import {
  decodeUtf8,
  fileChunks,
  readCsvRecords,
  readItmattXml,
  type ByteCounter,
  type RawRecord,
} from './record-sources.js';
import {
  groupRowsByHouseWaybill,
  parseJsonDocument,
  recordsOfDocument,
  type DocumentFormat,
} from './document-records.js';

/** A file's format, by its name: ITMATT XML, a JSON document, or CSV. */
export function formatOfFile(path: string): DocumentFormat {
  const name = path.toLowerCase();
  return name.endsWith('.xml') ? 'xml' : name.endsWith('.json') ? 'json' : 'csv';
}

/** How far a file has been read, and its SHA-256 once it has been read to the end. */
export interface FileReading {
  bytesRead: number;
  fileSha256?: string;
}

/** The records of a file as they are read (a JSON document whole, the others streamed). */
export async function* readFileRecords(
  channel: IntakeChannel,
  path: string,
  reading: FileReading,
): AsyncGenerator<RawRecord> {
  const counter: ByteCounter = { bytesRead: 0, sha256: createHash('sha256') };
  const format = formatOfFile(path);
  const text = decodeUtf8(fileChunks(path), counter);
  let records: AsyncIterable<RawRecord>;
  if (format === 'xml') records = readItmattXml(text);
  else if (format === 'csv') records = readCsvRecords(text);
  else {
    let json = '';
    for await (const chunk of text) json += chunk;
    records = recordsOfDocument(channel as Exclude<IntakeChannel, 'kcs'>, 'json', parseJsonDocument(json));
  }
  if (channel === 'express' && format === 'csv') records = groupRowsByHouseWaybill(records);
  for await (const record of records) {
    reading.bytesRead = counter.bytesRead;
    yield record;
  }
  reading.bytesRead = counter.bytesRead;
  reading.fileSha256 = counter.sha256.digest('hex');
}
