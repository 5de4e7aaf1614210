import type { DeclarationHistoryRow, ParcelView } from '../intake/index.js';
import type { LabelledRiskDeclaration, RiskDeclaration } from './domain/risk-declaration.js';

/** Converts an amount in a currency on a date into won; undefined when no rate is known. */
export type KrwConverter = (amount: string, currency: string, date: string) => number | undefined;

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
export function riskDeclarationFromStored(row: DeclarationHistoryRow, toKrw: KrwConverter): RiskDeclaration {
  const attributes = row.attributes;
  return withoutUndefined({
    date: row.declaredOn,
    officeId: row.officeCode ?? undefined,
    importerId: row.importerKey ?? undefined,
    declarantId: row.declarantKey ?? undefined,
    sellerId: row.sellerKey ?? undefined,
    courierId: row.courierKey ?? undefined,
    hs6Code: row.hsCode?.slice(0, 6),
    departureCountry: text(attributes.departureCountry),
    originCountry: row.originCountry ?? undefined,
    taxRate: number(attributes.taxRate),
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
): LabelledRiskDeclaration | undefined {
  if (!row.outcome) return undefined;
  return {
    declaration: riskDeclarationFromStored(row, toKrw),
    label: { fraud: row.outcome.fraud, critical: row.outcome.criticalLevel === 2 },
  };
}

/** Each declaration line of a parcel as a model input; the parcel's risk is that of its riskiest line. */
export function riskDeclarationsFromParcel(parcel: ParcelView, toKrw: KrwConverter): RiskDeclaration[] {
  const date = parcel.declaredOn ?? parcel.arrivalDate ?? parcel.receivedAt.slice(0, 10);
  return parcel.lines.map((line) =>
    withoutUndefined({
      date,
      officeId: parcel.officeCode ?? undefined,
      importerId: parcel.pccc ?? undefined,
      declarantId: parcel.carrierCode,
      sellerId: parcel.seller?.id,
      courierId: parcel.carrierCode,
      hs6Code: line.hsCode?.slice(0, 6),
      departureCountry: text(parcel.sender.country),
      originCountry: line.originCountry ?? undefined,
      transportMode: parcel.channel === 'postal' ? 'post' : 'air',
      netMassKg: number(line.netMassKg),
      itemPriceKrw: toKrw(line.value, line.currency, date),
    }),
  );
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
