import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExchangeRateFile } from '../src/modules/clearance/index.js';
import { validateExchangeRates } from '../src/modules/clearance/domain/exchange-rate-table.js';

describe('exchange-rate files', () => {
  it('reads CSV and JSON files into the same validated rates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clearway-rates-'));
    await writeFile(
      join(dir, 'week.csv'),
      '\ufeffcurrency,weekStarting,krwPerUnit,unit\nUSD,2026-11-15,"1,400.00",1\nJPY,2026-11-15,950.00,100\n',
    );
    await writeFile(
      join(dir, 'week.json'),
      JSON.stringify({
        rates: [
          { currency: 'USD', weekStarting: '2026-11-15', krwPerUnit: '1400.00' },
          { currency: 'JPY', weekStarting: '2026-11-15', krwPerUnit: 950, unit: 100 },
        ],
      }),
    );
    const fromCsv = validateExchangeRates(await readExchangeRateFile(join(dir, 'week.csv')));
    const fromJson = validateExchangeRates(await readExchangeRateFile(join(dir, 'week.json')));
    expect(fromCsv.problems).toEqual([]);
    expect(fromCsv.rates.map((rate) => [rate.currency, rate.unit])).toEqual([
      ['USD', 1],
      ['JPY', 100],
    ]);
    expect(fromJson.rates.map((rate) => [rate.currency, rate.unit])).toEqual([
      ['USD', 1],
      ['JPY', 100],
    ]);
  });

  it('reads the table as the customs service publishes it: Korean headers, dotted dates, JPY(100)', async () => {
    const published = validateExchangeRates(
      await readExchangeRateFile('docs/examples/weekly-exchange-rates.csv'),
    );
    expect(published.problems).toEqual([]);
    expect(published.rates.slice(0, 3)).toEqual([
      { currency: 'USD', weekStarting: '2026-11-29', krwPerUnit: '1398.50', unit: 1 },
      { currency: 'EUR', weekStarting: '2026-11-29', krwPerUnit: '1452.10', unit: 1 },
      { currency: 'JPY', weekStarting: '2026-11-29', krwPerUnit: '935.20', unit: 100 },
    ]);
  });
});
