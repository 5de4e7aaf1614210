import type { KcsDeclaration } from '../../intake/index.js';

/**
 * What the risk model reads about one declaration (one item line). Every source (KCS declarations today,
 * postal CN23 items and express manifests later) is mapped to this shape; only the date is required,
 * because live parcels often lack a declarant, a seller or a tax type and the model must still score them.
 */
export interface RiskDeclaration {
  /** ISO date `YYYY-MM-DD` of acceptance; orders the history used by target statistics. */
  date: string;
  officeId?: string;
  importerId?: string;
  declarantId?: string;
  sellerId?: string;
  courierId?: string;
  /** Six-digit HS code. */
  hs6Code?: string;
  departureCountry?: string;
  originCountry?: string;
  /** Duty rate in percent. */
  taxRate?: number;
  taxType?: string;
  originIndicator?: string;
  processType?: string;
  importType?: string;
  importUse?: string;
  paymentType?: string;
  transportMode?: string;
  netMassKg?: number;
  itemPriceKrw?: number;
}

/** Inspection outcome of one declaration, known only for the declarations that were inspected. */
export interface RiskLabel {
  fraud: boolean;
  /** Threatens public safety (drugs, IPR infringement, false origin). Implies `fraud`. */
  critical: boolean;
}

/** A declaration with its inspection outcome, as used for training. */
export interface LabelledRiskDeclaration {
  declaration: RiskDeclaration;
  label: RiskLabel;
}

/**
 * A party's code (importer, declarant, seller, courier) as the KCS format writes it: letters and digits
 * in upper case. A live parcel names its seller `AMZ-CN000123` where the history that customs keeps
 * wrote `AMZCN000123`; both must meet in one entity, or the seller's history never counts.
 */
export function partyCode(value: string | null | undefined): string | undefined {
  const code = value?.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
  return code ? code : undefined;
}

/** Maps a KCS declaration to the model's input shape. */
export function riskDeclarationFromKcs(kcs: KcsDeclaration): RiskDeclaration {
  const declaration: RiskDeclaration = {
    date: kcs.date,
    officeId: kcs.officeId,
    importerId: partyCode(kcs.importerId),
    declarantId: partyCode(kcs.declarantId),
    hs6Code: kcs.hs6Code,
    departureCountry: kcs.departureCountry,
    originCountry: kcs.originCountry,
    taxRate: kcs.taxRate,
    taxType: kcs.taxType,
    originIndicator: kcs.originIndicator,
    processType: kcs.processType,
    importType: kcs.importType,
    importUse: kcs.importUse,
    paymentType: kcs.paymentType,
    transportMode: kcs.transportMode,
    netMassKg: kcs.netMassKg,
    itemPriceKrw: kcs.itemPriceKrw,
  };
  const sellerId = partyCode(kcs.sellerId);
  const courierId = partyCode(kcs.courierId);
  if (sellerId !== undefined) declaration.sellerId = sellerId;
  if (courierId !== undefined) declaration.courierId = courierId;
  return declaration;
}

/** The inspection outcome of a labelled KCS declaration, or undefined when the file carries no labels. */
export function riskLabelFromKcs(kcs: KcsDeclaration): RiskLabel | undefined {
  if (kcs.fraud === undefined) return undefined;
  return { fraud: kcs.fraud === 1, critical: kcs.criticalFraud === 2 };
}
