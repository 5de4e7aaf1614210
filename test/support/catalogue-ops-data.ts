import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Clearway } from '../../src/main.js';
import { s10ItemId } from '../../src/demo/demo-identifiers.js';
import { KCS_COLUMNS } from '../../src/modules/intake/index.js';
import { systemActor } from '../../src/platform/auth/actor.js';
import { createSeededRandom } from '../../src/platform/random/seeded-random.js';

/**
 * Ground truth the operations models (N2, K2, K1, M3, M5) are measured on, planted beside the catalogue's
 * demo parcels through the same intake paths real data takes: a KCS history file whose inspection labels
 * hide repeat-offender sellers and one risky carrier lane among ordinary noise, and a carrier that starts
 * sending sloppy postal data on the last demo day.
 */
export const OPS_HISTORY = { startDate: '2026-11-01', days: 8, seed: 2027 };
export const RISKY_CELL = 'EXPB / CN';
export const SLOPPY_CARRIER = 'SLOPPYPOST';
/** The last arrival day of the catalogue's demo period (test/support/catalogue-data.ts), when the sloppy carrier starts. */
export const SLOPPY_DAY = '2026-11-14';

export interface OpsTruth {
  /** Sellers whose history carries a high irregularity rate (N2's ground truth). */
  offenders: Set<string>;
  /** The carrier × origin cell whose checks find far more than the others (K2's ground truth). */
  riskyCells: Set<string>;
}

const carriers = ['EXPA', 'EXPB', 'EXPC', 'POSTKR'];
const origins = ['CN', 'US', 'JP', 'DE'];

/** The KCS history: ordinary sellers (5% of checks irregular), one-parcel sellers, offenders (60%) and the risky lane (70%). */
export function plantedHistory(): { csv: string; truth: OpsTruth } {
  const random = createSeededRandom(OPS_HISTORY.seed, 'catalogue-ops-history');
  const rows: Record<(typeof KCS_COLUMNS)[number], string>[] = [];
  const truth: OpsTruth = { offenders: new Set(), riskyCells: new Set([RISKY_CELL]) };
  const add = (seller: string, carrier: string, origin: string, inspected: boolean, fraud: boolean) => {
    const day = random.int(0, OPS_HISTORY.days - 1);
    rows.push({
      'Declaration ID': `OPS${String(rows.length + 1).padStart(8, '0')}`,
      Date: `2026-11-${String(1 + day).padStart(2, '0')}`,
      'Office ID': '040',
      'Process Type': 'EC',
      'Import Type': carrier === 'POSTKR' ? 'POST' : 'EXPRESS',
      'Import Use': 'PERSONAL',
      'Payment Type': 'ONLINE',
      'Mode of Transport': carrier === 'POSTKR' ? 'post' : 'air',
      'Declarant ID': carrier,
      'Importer ID': `P${random.int(100000, 999999)}`,
      'Seller ID': seller,
      'Courier ID': carrier,
      'HS6 Code': random.pick(['610910', '851830', '330499', '950300', '420222']),
      'Country of Departure': origin,
      'Country of Origin': origin,
      'Tax Rate': '8',
      'Tax Type': 'A',
      'Country of Origin Indicator': 'Y',
      'Net Mass': String(random.int(1, 30) / 10),
      'Item Price': String(random.int(10_000, 180_000)),
      Fraud: inspected ? (fraud ? '1' : '0') : '',
      'Critical Fraud': inspected ? (fraud ? '1' : '0') : '',
    });
  };
  const ordinary = (rate: number) => {
    const inspected = random.chance(0.3);
    return { inspected, fraud: inspected && random.chance(rate) };
  };
  for (let seller = 1; seller <= 120; seller++)
    for (let declaration = 0; declaration < 10; declaration++) {
      const { inspected, fraud } = ordinary(0.05);
      add(`SELLER${seller}`, random.pick(carriers), random.pick(origins), inspected, fraud);
    }
  // One-parcel sellers, checked once, through small couriers: a raw rate of 0 or 1 that tells nothing.
  for (let seller = 1; seller <= 30; seller++)
    add(`ONCE${seller}`, `SMALL${seller % 10}`, random.pick(origins), true, random.chance(0.3));
  for (let seller = 1; seller <= 6; seller++) {
    truth.offenders.add(`OFFENDER${seller}`);
    for (let declaration = 0; declaration < 16; declaration++) {
      const inspected = declaration < 12;
      add(
        `OFFENDER${seller}`,
        random.pick(carriers),
        random.pick(origins),
        inspected,
        inspected && random.chance(0.6),
      );
    }
  }
  const [riskyCarrier, riskyOrigin] = RISKY_CELL.split(' / ') as [string, string];
  // The risky lane's irregular parcels come from many one-off senders, so no seller profile explains them.
  for (let declaration = 1; declaration <= 150; declaration++) {
    const inspected = random.chance(0.6);
    add(`LANE${declaration}`, riskyCarrier, riskyOrigin, inspected, inspected && random.chance(0.7));
  }
  return { csv: stringify(rows, { header: true, columns: [...KCS_COLUMNS] }), truth };
}

/** Imports the planted history through intake's KCS file import, as a customs service's export would come. */
export async function loadPlantedHistory(app: Clearway): Promise<OpsTruth> {
  const { csv, truth } = plantedHistory();
  const directory = await mkdtemp(join(tmpdir(), 'clearway-ops-history-'));
  try {
    const file = join(directory, 'history-kcs.csv');
    await writeFile(file, csv);
    await app.intake.service.importFile(systemActor, 'kcs', file);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return truth;
}

/**
 * A postal operator that, from the last demo day on, sends items with no HS code, no net mass, no
 * consignee phone and a token value of 1: K1 must rank it first, M3 and M5 must see its traffic appear.
 */
export async function postSloppyItems(app: Clearway, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const itemId = s10ItemId('RS', 97_000_000 + index, 'CN');
    await app.intake.service.receivePostalItem(systemActor, {
      itemId,
      postalOperator: SLOPPY_CARRIER,
      form: 'CN22',
      // A gift: HS codes are optional on gifts, and this carrier leaves them out.
      category: 'gift',
      sender: {
        name: 'Global Goods Store',
        street: `${index + 1} Market Road`,
        city: 'Shenzhen',
        country: 'CN',
      },
      addressee: {
        name: `수하인${index}`,
        street: `테헤란로 ${index + 1}`,
        postcode: '06236',
        city: 'Seoul',
        country: 'KR',
      },
      contents: [
        { description: 'Phone case', quantity: '2', value: '1.00', currency: 'USD', originCountry: 'CN' },
      ],
      grossMassKg: '0.3',
      totalValue: '1.00',
      currency: 'USD',
      postedOn: '2026-11-08',
      expectedArrivalDate: SLOPPY_DAY,
    });
    ids.push(itemId);
  }
  await app.settle();
  return ids;
}
