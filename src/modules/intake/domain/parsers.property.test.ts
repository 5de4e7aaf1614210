import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Validated } from '../../../platform/errors/field-error.js';
import { readCsvRecords, readItmattXml, decodeUtf8, textChunks } from '../adapters/record-sources.js';
import { validateHouseWaybill, validateManifestHeader } from './express-manifest.js';
import { parseKcsDeclaration } from './kcs-declaration.js';
import { validateMarketplaceOrder, validatePayment } from './marketplace-records.js';
import { validatePostalItem } from './postal-item.js';

/**
 * Every parser must answer random and mutated input with a valid record or precise field errors,
 * never with an exception.
 */
const validItem = {
  itemId: 'RR123456785CN',
  category: 'sale_of_goods',
  currency: 'USD',
  grossMassKg: 0.5,
  postedOn: '2026-11-20',
  sender: { name: 'A', street: 'B', city: 'C', country: 'CN' },
  addressee: { name: 'D', street: 'E', city: 'Seoul', country: 'KR', importerReference: 'P123456789012' },
  contents: [{ description: 'Shirt', quantity: 1, value: 10, currency: 'USD', hsCode: '610910' }],
};

function expectCleanResult(result: Validated<unknown>): void {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(typeof error.path).toBe('string');
    expect(error.rule).toMatch(/\S/);
    expect(error.message).toMatch(/\S/);
  }
}

/** Replaces the value at a random path of a JSON object with a random JSON value. */
function mutate(base: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || base === null || typeof base !== 'object') return replacement;
  const entries = Array.isArray(base)
    ? base.map((value, index) => [index, value] as const)
    : Object.entries(base);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[path[0]! % entries.length]!;
  const copy: any = Array.isArray(base) ? [...base] : { ...base };
  copy[key] = mutate(value, path.slice(1), replacement);
  return copy;
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const mutation = fc.tuple(fc.array(fc.nat(20), { maxLength: 4 }), anyJson);

describe('parsers never throw', () => {
  const validators: [string, (input: unknown) => Validated<unknown>][] = [
    ['postal item', (input) => validatePostalItem(input)],
    ['manifest header', (input) => validateManifestHeader(input)],
    ['house waybill', (input) => validateHouseWaybill(input)],
    ['order', (input) => validateMarketplaceOrder(input)],
    ['payment', (input) => validatePayment(input)],
    [
      'KCS row',
      (input) =>
        parseKcsDeclaration((input && typeof input === 'object' ? input : {}) as Record<string, string>),
    ],
  ];

  for (const [name, validate] of validators) {
    it(`${name}: random JSON`, () => {
      fc.assert(
        fc.property(anyJson, (input) => expectCleanResult(validate(input))),
        { numRuns: 300 },
      );
    });
  }

  it('postal item: mutations of a valid item', () => {
    expect(validatePostalItem(validItem).ok).toBe(true);
    fc.assert(
      fc.property(mutation, ([path, replacement]) =>
        expectCleanResult(validatePostalItem(mutate(validItem, path, replacement))),
      ),
      { numRuns: 500 },
    );
  });

  it('ITMATT reader: random text yields records or a malformed marker', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.constantFrom('<ITMATT><Item><a>1</a></Item>', '<ITMATT><Item><a>1</Item></ITMATT>', '<x/>'),
        ),
        async (text) => {
          for await (const record of readItmattXml(textChunks(text)))
            expect(['record', 'malformed']).toContain(record.kind);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('CSV reader: random text yields records or malformed markers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '.', 'b', ' ') }),
        async (text) => {
          for await (const record of readCsvRecords(decodeUtf8(textChunks(text))))
            expect(['record', 'malformed']).toContain(record.kind);
        },
      ),
      { numRuns: 200 },
    );
  });
});
