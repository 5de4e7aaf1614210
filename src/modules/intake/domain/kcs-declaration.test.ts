import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KCS_COLUMNS, parseKcsDeclaration, readKcsDeclarations } from './kcs-declaration.js';

const HEADER = KCS_COLUMNS.join(',');
const ROW =
  '97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,1,2';

function record(line: string): Record<string, string> {
  const cells = line.split(',');
  return Object.fromEntries(KCS_COLUMNS.map((column, i) => [column, cells[i] ?? '']));
}

describe('KCS declaration', () => {
  it('parses a record into typed fields, absent optional fields left out', () => {
    const result = parseKcsDeclaration(record(ROW), 2);
    expect(result).toEqual({
      ok: true,
      value: {
        declarationId: '97061800',
        date: '2020-01-01',
        officeId: '30',
        processType: 'B',
        importType: '11',
        importUse: '21',
        paymentType: '11',
        transportMode: '10',
        declarantId: 'ZZR1LT6',
        importerId: 'QLRUBN9',
        sellerId: '0VKY2BR',
        hs6Code: '440890',
        departureCountry: 'BE',
        originCountry: 'BE',
        taxRate: 0,
        taxType: 'FEU1',
        originIndicator: 'G',
        netMassKg: 108,
        itemPriceKrw: 372254.4,
        fraud: 1,
        criticalFraud: 2,
      },
    });
  });

  it('restores the leading zero of HS chapters 01-09', () => {
    const result = parseKcsDeclaration({ ...record(ROW), 'HS6 Code': '10121' });
    expect(result.ok && result.value.hs6Code).toBe('010121');
  });

  it('reports every invalid field with path, value, rule and line', () => {
    const result = parseKcsDeclaration(
      { ...record(ROW), Date: '2020-13-45', 'Net Mass': '-3', 'Country of Origin': 'Belgium', Fraud: '0' },
      7,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.rule])).toEqual([
      ['Date', 'iso-date'],
      ['Critical Fraud', 'labels-consistent'],
      ['Country of Origin', 'country-code'],
      ['Net Mass', 'non-negative-number'],
    ]);
    expect(result.errors.every((e) => e.line === 7)).toBe(true);
  });

  it('accepts files without labels', () => {
    const result = parseKcsDeclaration({ ...record(ROW), Fraud: '', 'Critical Fraud': '' });
    expect(result.ok && 'fraud' in result.value).toBe(false);
  });

  it('streams a file record by record with line numbers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kcs-'));
    const path = join(dir, 'declarations.csv');
    await writeFile(path, `${HEADER}\n${ROW}\n${ROW.replace('2020-01-01', 'yesterday')}\n`);
    const results = [];
    for await (const result of readKcsDeclarations(path)) results.push(result);
    expect(results.map((r) => [r.ok, r.line])).toEqual([
      [true, 2],
      [false, 3],
    ]);
  });

  it('refuses a file that is not in the KCS format', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kcs-'));
    const path = join(dir, 'other.csv');
    await writeFile(path, 'a,b\n1,2\n');
    await expect(async () => {
      for await (const _ of readKcsDeclarations(path)) void _;
    }).rejects.toThrow(/missing columns/);
  });
});
