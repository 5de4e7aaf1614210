import type { DeclarationHistoryRow, ParcelFacts } from '../intake/index.js';
import { partyCode, type LabelledRiskDeclaration, type RiskDeclaration } from './domain/risk-declaration.js';

/** Converts an amount in a currency on a date into won; undefined when no rate is known. */
export type KrwConverter = (amount: string, currency: string, date: string) => number | undefined;

/**
 * The tariff's duty rate in percent of an HS code (clearance's rules file, through main.ts). The KCS
 * history carries each declaration's tax rate; parcels do not, so theirs is the tariff's for their
 * code: without it the model read every live parcel's rate as missing, and drift flagged `tax_rate`.
 */
export type DutyRateOf = (hsCode: string) => number | undefined;

/** Without exchange rates only won amounts are known; the model treats other prices as missing. */
export const wonOnly: KrwConverter = (amount, currency) => (currency === 'KRW' ? Number(amount) : undefined);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const number = (value: unknown): number | undefined => {
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
};

/**
 * One stored declaration (KCS history or a parcel's declaration) as the model reads it. KCS rows carry
 * every attribute of the KCS format; parcels carry what posts and carriers declare.
 */
export function riskDeclarationFromStored(
  row: DeclarationHistoryRow,
  toKrw: KrwConverter,
  dutyRateOf?: DutyRateOf,
): RiskDeclaration {
  const attributes = row.attributes;
  return withoutUndefined({
    date: row.declaredOn,
    officeId: row.officeCode ?? undefined,
    importerId: partyCode(row.importerKey),
    declarantId: partyCode(row.declarantKey),
    sellerId: partyCode(row.sellerKey),
    courierId: partyCode(row.courierKey),
    hs6Code: row.hsCode?.slice(0, 6),
    departureCountry: text(attributes.departureCountry),
    originCountry: row.originCountry ?? undefined,
    taxRate: number(attributes.taxRate) ?? (row.hsCode ? dutyRateOf?.(row.hsCode) : undefined),
    taxType: text(attributes.taxType),
    originIndicator: text(attributes.originIndicator),
    processType: text(attributes.processType),
    importType: text(attributes.importType),
    importUse: text(attributes.importUse),
    paymentType: text(attributes.paymentType),
    transportMode: text(attributes.transportMode),
    netMassKg: number(row.netMassKg),
    itemPriceKrw: toKrw(row.value, row.currency, row.declaredOn),
  });
}

/** An inspected declaration as a training example; undefined for one that was never inspected. */
export function labelledFromStored(
  row: DeclarationHistoryRow,
  toKrw: KrwConverter,
  dutyRateOf?: DutyRateOf,
): LabelledRiskDeclaration | undefined {
  if (!row.outcome) return undefined;
  return {
    declaration: riskDeclarationFromStored(row, toKrw, dutyRateOf),
    label: { fraud: row.outcome.fraud, critical: row.outcome.criticalLevel === 2 },
  };
}

/**
 * Each declaration line of a parcel as a model input; the parcel's risk is that of its riskiest line.
 * The one builder of a parcel's model input: the parcel page (risk's route) and targeting's decisions
 * both score through it, so that one parcel never shows two scores from one model. The transport mode
 * follows the channel as the KCS history writes it (`post`, `air`); the declarant is the declaration's,
 * the carrier when the declaration names none.
 */
export function riskDeclarationsOfParcel(
  parcel: ParcelFacts,
  toKrw: KrwConverter,
  dutyRateOf?: DutyRateOf,
): RiskDeclaration[] {
  const date =
    parcel.declaredOn ?? parcel.arrivalDate ?? new Date(parcel.receivedAtMs).toISOString().slice(0, 10);
  return parcel.lines.map((line) =>
    withoutUndefined({
      date,
      officeId: parcel.officeCode ?? undefined,
      importerId: partyCode(parcel.buyerPccc),
      declarantId: partyCode(parcel.declarantCode ?? parcel.carrierCode),
      sellerId: partyCode(parcel.sellerId),
      courierId: partyCode(parcel.carrierCode),
      hs6Code: line.hs6 ?? undefined,
      departureCountry: parcel.senderCountry ?? undefined,
      originCountry: line.originCountry ?? undefined,
      taxRate: line.hsCode ? dutyRateOf?.(line.hsCode) : undefined,
      transportMode: TRANSPORT_MODES[parcel.channel],
      netMassKg: line.netMassKg ?? undefined,
      itemPriceKrw: toKrw(String(line.value), line.currency, date),
    }),
  );
}

/** The KCS history's mode of transport of each channel (historical declarations carry none in their facts). */
const TRANSPORT_MODES: Record<ParcelFacts['channel'], string | undefined> = {
  postal: 'post',
  express: 'air',
  kcs: undefined,
};

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
