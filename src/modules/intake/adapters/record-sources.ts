import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { csvHeader, csvRowToObject, type CsvHeader } from '../domain/csv-record.js';
import { readItmattXml, type XmlRecord } from '../domain/itmatt-xml.js';

/** One record read from a document, before validation, or the reason the reader could not read it. */
export type RawRecord = XmlRecord;

/** Counts bytes as they pass, so long imports can show progress against the file size. */
export interface ByteCounter {
  bytesRead: number;
  sha256: Hash;
}

/**
 * Decodes UTF-8 as it streams. Bytes that are not UTF-8 (a file in EUC-KR or Latin-1, one damaged byte)
 * become U+FFFD, which the text rule of every field refuses: the record holding them is rejected with
 * its line and field, and the records around it are read and stored as usual.
 */
export async function* decodeUtf8(
  chunks: AsyncIterable<Buffer | string>,
  counter?: ByteCounter,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (counter) {
      counter.bytesRead += bytes.length;
      counter.sha256.update(bytes);
    }
    yield decoder.decode(bytes, { stream: true });
  }
  yield decoder.decode();
}

export function fileChunks(path: string): AsyncIterable<Buffer> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

export function textChunks(text: string): AsyncIterable<string> {
  return Readable.from([text]);
}

/**
 * CSV rows as nested objects (column names are JSON paths), each numbered by the line on which it ends
 * (a quoted cell may span lines); empty lines are skipped. A row with the wrong number of cells or a
 * broken quote is reported as malformed with its line number and the reading goes on.
 */
export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<RawRecord> {
  const reader = new CsvRecordReader();
  for await (const chunk of text) yield* reader.read(chunk);
  yield* reader.end();
}

/**
 * Feeds text to papaparse's chunk parser the way its own streamers do: each chunk is parsed up to its
 * last complete row, and the rest waits for the next chunk. Papaparse gives rows as arrays of cells
 * without line numbers, so the lines are counted here.
 */
class CsvRecordReader {
  private parser: Papa.Parser | undefined;
  /** The line break the rows end with: known from the first line break of the file. */
  private newline: '\n' | '\r\n' | '\r' | undefined;
  /** Text not parsed yet: the start of a row that a later chunk completes. */
  private pending = '';
  private started = false;
  /** Line on which the next row starts. */
  private line = 1;
  private header: CsvHeader | undefined;

  read(chunk: string): RawRecord[] {
    let text = this.pending + chunk;
    if (!this.started) {
      if (text === '') return [];
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.started = true;
    }
    this.newline ??= lineEnding(text);
    if (!this.newline) {
      this.pending = text;
      return [];
    }
    this.parser ??= new Papa.Parser({ delimiter: ',', newline: this.newline, quoteChar: '"' });
    const result = this.parser.parse(text, 0, true) as Papa.ParseResult<string[]>;
    const parsedLength = result.meta.cursor;
    this.pending = text.slice(parsedLength);
    // Usually no cell holds a line break and each row is one line; counting them all at once is cheap.
    const rowsAreSingleLines = countOf(this.lineBreak(), text, parsedLength) === result.data.length;
    return this.records(result, rowsAreSingleLines, this.strayQuoteLines(text, parsedLength));
  }

  /** The last row, which has no line break after it. */
  end(): RawRecord[] {
    if (!this.started || this.pending === '') return [];
    this.newline ??= '\n';
    this.parser ??= new Papa.Parser({ delimiter: ',', newline: this.newline, quoteChar: '"' });
    const text = this.pending;
    this.pending = '';
    const result = this.parser.parse(text, 0, false) as Papa.ParseResult<string[]>;
    return this.records(result, false, this.strayQuoteLines(text, text.length));
  }

  /**
   * Lines with a quote between two ordinary characters: in an unquoted cell (`12" tube`) or after a
   * closing quote (`"a" ,b`). Papaparse keeps such text as it stands; these rows are refused, as they
   * were before papaparse, because a quote is only valid around a whole cell or doubled inside one.
   */
  private strayQuoteLines(text: string, end: number): number[] {
    const lines: number[] = [];
    const lineBreak = this.lineBreak();
    let line = this.line;
    let counted = 0;
    STRAY_QUOTE.lastIndex = 0;
    for (let match = STRAY_QUOTE.exec(text); match && match.index < end; match = STRAY_QUOTE.exec(text)) {
      line += countOf(lineBreak, text, match.index, counted);
      counted = match.index;
      lines.push(line);
    }
    return lines;
  }

  /** Counting LF finds CRLF and the bare LF that spreadsheets write inside cells; old Mac files use CR. */
  private lineBreak(): string {
    return this.newline === '\r' ? '\r' : '\n';
  }

  private records(
    result: Papa.ParseResult<string[]>,
    rowsAreSingleLines: boolean,
    strayQuoteLines: readonly number[],
  ): RawRecord[] {
    const quoteErrors = result.errors.length > 0 ? errorsByRow(result.errors) : undefined;
    const records: RawRecord[] = [];
    const lineBreak = this.lineBreak();
    let strayQuote = 0;
    for (let index = 0; index < result.data.length; index++) {
      const cells = result.data[index]!;
      const firstLine = this.line;
      const line = rowsAreSingleLines
        ? firstLine
        : firstLine + cells.reduce((sum, cell) => sum + countOf(lineBreak, cell, cell.length), 0);
      this.line = line + 1;
      const quoteError =
        quoteErrors?.get(index)?.message ??
        (strayQuoteLines[strayQuote]! <= line ? 'Invalid quote: quotes go around a whole cell' : undefined);
      while (strayQuoteLines[strayQuote]! <= line) strayQuote++;
      // A broken quote may run on to the end of the file: the line where its row starts is the useful one.
      if (quoteError) {
        records.push({
          kind: 'malformed',
          line: firstLine,
          message: `malformed CSV row: ${quoteError} in the row starting on line ${firstLine}`,
        });
      } else if (cells.length === 1 && cells[0] === '') {
        continue;
      } else if (!this.header) {
        this.header = csvHeader(cells);
      } else if (cells.length !== this.header.width) {
        records.push({
          kind: 'malformed',
          line,
          message: `malformed CSV row: Invalid Record Length: columns length is ${this.header.width}, got ${cells.length} on line ${line}`,
        });
      } else {
        records.push({ kind: 'record', line, record: csvRowToObject(this.header, cells) });
      }
    }
    return records;
  }
}

/** The first error of each row; papaparse also reports errors of the unfinished row it leaves for later. */
function errorsByRow(errors: readonly Papa.ParseError[]): Map<number, Papa.ParseError> {
  const byRow = new Map<number, Papa.ParseError>();
  for (const error of errors)
    if (error.row !== undefined && !byRow.has(error.row)) byRow.set(error.row, error);
  return byRow;
}

/**
 * The line break that ends the first row, or undefined while the text may still be inside the first row.
 * Line breaks inside quoted cells do not count.
 */
function lineEnding(text: string): '\n' | '\r\n' | '\r' | undefined {
  const outsideQuotes = text.replace(QUOTED_CELL, '');
  const openQuote = outsideQuotes.indexOf('"');
  const known = openQuote === -1 ? outsideQuotes : outsideQuotes.slice(0, openQuote);
  const lf = known.indexOf('\n');
  const cr = known.indexOf('\r');
  if (cr === -1 || (lf !== -1 && lf < cr)) return lf === -1 ? undefined : '\n';
  if (cr === known.length - 1) return undefined;
  return known[cr + 1] === '\n' ? '\r\n' : '\r';
}

const QUOTED_CELL = /"[^"]*"/g;
const STRAY_QUOTE = /[^,\r\n"]"[^,\r\n"]/g;

/** Occurrences of a character in text[start, end). */
function countOf(character: string, text: string, end: number, start = 0): number {
  let count = 0;
  for (let at = text.indexOf(character, start); at !== -1 && at < end; at = text.indexOf(character, at + 1))
    count++;
  return count;
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
