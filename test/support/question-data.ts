import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clearway } from '../../src/main.js';
import { loadDemoData } from '../../src/demo/index.js';
import { systemActor } from '../../src/platform/auth/actor.js';

/** shared/ lies beside the checkout (CI, main) or two levels up (a worktree under wt/). */
const KCS_DIR = ['../../../shared', '../../../../shared']
  .map((relative) => new URL(`${relative}/data/kcs-declarations/`, import.meta.url))
  .find((candidate) => existsSync(candidate));
const KCS_FILES = {
  train: new URL('train.csv', KCS_DIR ?? new URL('../../../shared/data/kcs-declarations/', import.meta.url)),
  valid: new URL('valid.csv', KCS_DIR ?? new URL('../../../shared/data/kcs-declarations/', import.meta.url)),
};

/** One KCS row as the file has it, for gold answers computed without the parser or the database. */
export interface KcsRow {
  date: string;
  office: string;
  importer: string;
  seller: string;
  declarant: string;
  hs6: string;
  departure: string;
  origin: string;
  taxRate: number;
  netMass: number;
  price: number;
  fraud: boolean;
  critical: boolean;
}

/** Every `step`-th row of both KCS files (a spread over 2020 and 2021 Q1), as CSV text and as rows. */
export function kcsSample(step: number): { csv: string; rows: KcsRow[] } {
  const lines: string[] = [];
  let header = '';
  for (const file of [KCS_FILES.train, KCS_FILES.valid]) {
    const [first, ...body] = readFileSync(file, 'utf8').trim().split('\n');
    header = first!;
    body.forEach((line, index) => {
      if (index % step === 0) lines.push(line);
    });
  }
  const rows = lines.map((line) => {
    const cells = line.split(',');
    return {
      date: cells[1]!,
      office: cells[2]!,
      declarant: cells[8]!,
      importer: cells[9]!,
      seller: cells[10]!,
      hs6: cells[12]!.padStart(6, '0'),
      departure: cells[13]!,
      origin: cells[14]!,
      taxRate: Number(cells[15]),
      netMass: Number(cells[18]),
      price: Number(cells[19]),
      fraud: cells[20] === '1',
      critical: cells[21] === '2',
    };
  });
  return { csv: [header, ...lines].join('\n'), rows };
}

/**
 * The fixed data set questions are asked over: demo parcels (seeded, on fixed days, taken through
 * targeting and clearance) and a sample of the KCS declaration history with its inspection outcomes.
 */
export async function loadQuestionData(
  app: Clearway,
  options: { kcsStep: number; days: number; parcelsPerDay: number; startDate: string },
): Promise<KcsRow[]> {
  const sample = kcsSample(options.kcsStep);
  const dir = mkdtempSync(join(tmpdir(), 'clearway-questions-'));
  const file = join(dir, 'kcs.csv');
  writeFileSync(file, sample.csv);
  await app.intake.service.importFile(systemActor, 'kcs', file);
  await loadDemoExchangeRates(app, options.startDate, options.days);
  await loadDemoData(app, {
    days: options.days,
    parcelsPerDay: options.parcelsPerDay,
    seed: 2026,
    startDate: options.startDate,
    force: true,
  });
  await app.settle();
  return sample.rows;
}

/** Weekly rates (KRW per unit, near the demo's own) for every week of the demo, so that clearance assesses. */
export async function loadDemoExchangeRates(app: Clearway, startDate: string, days: number): Promise<void> {
  const perUsd: Record<string, number> = { USD: 1, CNY: 7.2, JPY: 150, EUR: 0.92, GBP: 0.79, HKD: 7.8 };
  const rates = [];
  for (let day = -14; day <= days + 7; day += 7) {
    const weekStarting = new Date(Date.parse(`${startDate}T00:00:00Z`) + day * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const [currency, units] of Object.entries(perUsd)) {
      rates.push({ currency, weekStarting, krwPerUnit: (1380 / units).toFixed(4), unit: 1 });
    }
  }
  await app.clearance.assessment.loadExchangeRates(systemActor, rates, 'question-fixtures');
}
