import { stringify } from 'csv-stringify/sync';
import { loadClearanceRules, tariffRateFor } from '../modules/clearance/index.js';
import { KCS_COLUMNS } from '../modules/intake/index.js';
import { createSeededRandom } from '../platform/random/seeded-random.js';
import { generateDemoData } from './demo-generator.js';
import { krwPerUnit } from './demo-money.js';
import type { DemoLine, DemoPattern } from './demo-records.js';

/**
 * Weeks of earlier parcels with the outcomes of the inspections made then, as a customs service keeps
 * them: one KCS-format declaration per parcel (its most valuable line), labelled only where someone
 * looked. The labels come from the generator's ground truth under a realistic regime: most inspections
 * were targeted (an earlier selection that found planted patterns more often than not, and also picked
 * clean parcels), plus a small random control sample, so that, as in real life, the labelled parcels
 * are far richer in fraud than the stream and the unlabelled ones are not known to be clean.
 */
export interface InspectionRegime {
  /** Chance that the earlier selection picked a parcel that carried a planted pattern. */
  targetedHitRate: number;
  /** Chance that it picked a clean parcel (its false alarms). */
  targetedFalseAlarmRate: number;
  /** Share of every parcel inspected at random, whatever its risk (the control sample). */
  randomControlRate: number;
}

export const DEFAULT_INSPECTION_REGIME: Readonly<InspectionRegime> = Object.freeze({
  targetedHitRate: 0.6,
  targetedFalseAlarmRate: 0.06,
  randomControlRate: 0.02,
});

/** Patterns whose goods threaten public safety: Critical Fraud 2 (the others are 1). */
const CRITICAL_PATTERNS: ReadonlySet<DemoPattern> = new Set(['prohibited_goods']);

export interface DemoHistory {
  /** The KCS-format CSV text, header included. */
  csv: string;
  declarations: number;
  inspected: number;
  frauds: number;
  /** Sellers and buyer codes found fraudulent at least twice: what an administration's first watchlists hold. */
  repeatOffenders: { sellers: string[]; pcccs: string[] };
}

interface HistoryParcel {
  trackingNumber: string;
  date: string;
  office: string;
  carrier: string;
  transport: 'post' | 'air';
  pccc?: string;
  sellerId?: string;
  departure: string;
  lines: DemoLine[];
}

/**
 * The history of the days before `untilDate` of the generated world that `days` from `startDate` make:
 * the same options with `fromDate: untilDate` give the parcels that arrive after it, from the same
 * sellers and buyers (the current week of the first start, or the month a benchmark judges on).
 */
export function generateDemoHistory(options: {
  startDate: string;
  days: number;
  /** First day not in the history (default: the day after the last one). */
  untilDate?: string;
  parcelsPerDay: number;
  seed: number;
  regime?: InspectionRegime;
}): DemoHistory {
  const regime = options.regime ?? DEFAULT_INSPECTION_REGIME;
  const parcels: HistoryParcel[] = [];
  const patterns = new Map<string, DemoPattern>();
  const untilDate = options.untilDate ?? '9999-12-31';
  for (const event of generateDemoData({
    days: options.days,
    parcelsPerDay: options.parcelsPerDay,
    seed: options.seed,
    startDate: options.startDate,
    withMarketplaceData: false,
  })) {
    const arrival =
      event.kind === 'postal'
        ? event.item.expectedArrivalDate
        : event.kind === 'house'
          ? event.header.arrivalDate
          : undefined;
    if (arrival !== undefined && arrival >= untilDate) break;
    if (event.kind === 'postal') {
      const item = event.item;
      parcels.push({
        trackingNumber: item.itemId,
        date: item.expectedArrivalDate,
        office: item.officeCode,
        carrier: item.postalOperator,
        transport: 'post',
        pccc: item.addressee.importerReference,
        sellerId: item.seller?.id,
        departure: item.sender.country,
        lines: item.contents,
      });
    } else if (event.kind === 'house') {
      parcels.push({
        trackingNumber: event.house.hawb,
        date: event.header.arrivalDate,
        office: event.header.officeCode,
        carrier: event.header.carrier,
        transport: 'air',
        pccc: event.house.consignee.pccc,
        sellerId: event.house.seller?.id,
        departure: event.house.shipper.country,
        lines: event.house.lines,
      });
    } else if (event.kind === 'truth') {
      patterns.set(event.row.trackingNumber, event.row.pattern);
    }
  }

  const random = createSeededRandom(options.seed, 'demo-history-inspections');
  const records = { sellers: new Map<string, PartyRecord>(), pcccs: new Map<string, PartyRecord>() };
  const count = (map: Map<string, PartyRecord>, key: string | undefined, fraudOn?: string) => {
    if (!key) return;
    const record = map.get(key) ?? { declarations: 0, fraudDays: new Set<string>(), frauds: 0 };
    record.declarations++;
    if (fraudOn !== undefined) {
      record.frauds++;
      record.fraudDays.add(fraudOn);
    }
    map.set(key, record);
  };
  let inspected = 0;
  let frauds = 0;
  // The tariff's duty rate of each line's code, as a customs service's own history records it (and as
  // risk gives live parcels, which declare none): one fixed rate taught the model nothing and drifted.
  const clearanceRules = loadClearanceRules();
  const dutyPercent = (hsCode: string) =>
    tariffRateFor(clearanceRules.tariff, hsCode, clearanceRules.vatBasisPoints).dutyBasisPoints / 100;
  const rows = parcels.map((parcel, index) => {
    const pattern = patterns.get(parcel.trackingNumber);
    const targeted = random.chance(pattern ? regime.targetedHitRate : regime.targetedFalseAlarmRate);
    const control = random.chance(regime.randomControlRate);
    const line = mostValuableLine(parcel.lines);
    let fraud = '';
    let critical = '';
    if (targeted || control) {
      inspected++;
      fraud = pattern ? '1' : '0';
      critical = pattern ? (CRITICAL_PATTERNS.has(pattern) ? '2' : '1') : '0';
      if (pattern) frauds++;
    }
    const fraudOn = (targeted || control) && pattern ? parcel.date : undefined;
    count(records.sellers, parcel.sellerId, fraudOn);
    count(records.pcccs, parcel.pccc, fraudOn);
    const record: Record<(typeof KCS_COLUMNS)[number], string> = {
      'Declaration ID': `H${String(index + 1).padStart(8, '0')}`,
      Date: parcel.date,
      'Office ID': parcel.office,
      'Process Type': 'EC',
      'Import Type': parcel.transport === 'post' ? 'POST' : 'EXPRESS',
      'Import Use': 'PERSONAL',
      'Payment Type': 'ONLINE',
      'Mode of Transport': parcel.transport,
      'Declarant ID': parcel.carrier,
      'Importer ID': parcel.pccc ?? 'NOPCCC',
      // KCS codes are letters and digits only; demo seller ids carry a dash.
      'Seller ID': parcel.sellerId?.replace(/[^A-Za-z0-9]/g, '').slice(0, 20) ?? '',
      'Courier ID': parcel.carrier,
      'HS6 Code': (line.hsCode ?? '999999').slice(0, 6),
      'Country of Departure': parcel.departure,
      'Country of Origin': line.originCountry ?? parcel.departure,
      'Tax Rate': String(dutyPercent(line.hsCode ?? '999999')),
      'Tax Type': 'A',
      'Country of Origin Indicator': 'Y',
      'Net Mass': line.netMassKg ?? '0',
      'Item Price': String(Math.round(Number(line.value) * krwPerUnit(line.currency))),
      Fraud: fraud,
      'Critical Fraud': critical,
    };
    return record;
  });
  const repeated = (map: Map<string, PartyRecord>) =>
    [...map]
      .filter(([, record]) => isRepeatOffender(record))
      .map(([key]) => key)
      .sort();
  return {
    csv: stringify(rows, { header: true, columns: [...KCS_COLUMNS] }),
    declarations: rows.length,
    inspected,
    frauds,
    repeatOffenders: { sellers: repeated(records.sellers), pcccs: repeated(records.pcccs) },
  };
}

/** A seller's or a buyer code's declarations in the history, and the frauds found among them. */
interface PartyRecord {
  declarations: number;
  frauds: number;
  fraudDays: Set<string>;
}

/**
 * A repeat offender: frauds found on two occasions at least (two days: one split purchase found on one
 * day is one offence), making a fifth or more of the party's declarations. A busy seller whose buyers
 * once or twice split a purchase is not one; a seller whose parcels are fraudulent time after time is.
 */
function isRepeatOffender(record: PartyRecord): boolean {
  return record.fraudDays.size >= 2 && record.frauds >= 0.2 * record.declarations;
}

function mostValuableLine(lines: readonly DemoLine[]): DemoLine {
  return lines.reduce((best, line) =>
    Number(line.value) * krwPerUnit(line.currency) > Number(best.value) * krwPerUnit(best.currency)
      ? line
      : best,
  );
}
