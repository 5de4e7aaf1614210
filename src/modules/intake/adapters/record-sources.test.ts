import { describe, expect, it } from 'vitest';
import { readCsvRecords, decodeUtf8, type RawRecord } from './record-sources.js';

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  yield* parts;
}

async function read(...parts: string[]): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  for await (const record of readCsvRecords(decodeUtf8(chunks(...parts)))) records.push(record);
  return records;
}

const kinds = (records: RawRecord[]) => records.map((record) => [record.kind, record.line]);

describe('readCsvRecords', () => {
  it('numbers each row by the line it ends on, across quoted line breaks, empty lines and chunk boundaries', async () => {
    const csv = '\ufeff a ,b.c , pieces\n1,"x\ny",3\n\n2,"q""uoted, with comma",04\n3,z,x';
    const whole = await read(csv);
    expect(whole).toEqual([
      { kind: 'record', line: 3, record: { a: '1', b: { c: 'x\ny' }, pieces: 3 } },
      { kind: 'record', line: 5, record: { a: '2', b: { c: 'q"uoted, with comma' }, pieces: 4 } },
      { kind: 'record', line: 6, record: { a: '3', b: { c: 'z' }, pieces: 'x' } },
    ]);
    for (let cut = 1; cut < csv.length; cut++)
      expect(await read(csv.slice(0, cut), csv.slice(cut))).toEqual(whole);
  });

  it('reads CRLF and CR line endings', async () => {
    expect(kinds(await read('a,b\r\n1,"x\r\ny"\r\n\r\n2,3\r\n'))).toEqual([
      ['record', 3],
      ['record', 5],
    ]);
    expect(kinds(await read('a,b\r1,2\r3,4'))).toEqual([
      ['record', 2],
      ['record', 3],
    ]);
  });

  it('reports rows with the wrong number of cells and broken quotes as malformed, and reads on', async () => {
    const records = await read(
      'a,b\n1\n1,2,3\n1,"x"y\n4,5\n6,"7",8\n9,12" tube\n10,11\n12,"never closed\n13,14\n',
    );
    // A quote that does not close its cell runs on to the next quote that does: lines 4 to 6 are one row.
    expect(kinds(records)).toEqual([
      ['malformed', 2],
      ['malformed', 3],
      ['malformed', 4],
      ['malformed', 7],
      ['record', 8],
      ['malformed', 9],
    ]);
    expect(kinds(await read('a,b\n"6" ,7\n8,9\n'))).toEqual([
      ['malformed', 2],
      ['record', 3],
    ]);
    expect(records[0]).toMatchObject({
      message: expect.stringContaining('columns length is 2, got 1 on line 2'),
    });
  });

  it('reads on past bytes that are not UTF-8, leaving U+FFFD for the text rule to refuse in its record', async () => {
    const records: RawRecord[] = [];
    for await (const record of readCsvRecords(
      decodeUtf8(chunks(Buffer.from('a,b\n1,2\n'), Buffer.from('3,4\n5,\xff\n6,7\n', 'latin1'))),
    ))
      records.push(record);
    expect(kinds(records)).toEqual([
      ['record', 2],
      ['record', 3],
      ['record', 4],
      ['record', 5],
    ]);
    expect(records[2]).toMatchObject({ record: { a: '5', b: '\ufffd' } });
  });
});
