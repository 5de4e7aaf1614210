/**
 * The one place where declarations become model features, used by training, scoring, explanations and
 * the simulator alike, so the model never sees a feature computed two different ways.
 *
 * Features (values stay in natural units because trees ignore monotone transforms, and explanations can
 * then quote them directly):
 * - per entity group (importer, seller, HS6 x origin ...): smoothed past fraud rate (from inspected
 *   declarations) and number of past declarations (inspected or not); for a few groups also the past
 *   critical-fraud rate;
 * - item price, net mass, unit value (KRW/kg) and unit value relative to the HS6 norm (median of the
 *   training window, falling back to HS4, HS2, everything);
 * - duty rate, and whether the departure country differs from the origin country.
 * Missing inputs give NaN, which the trees route to a learned side.
 */
import type { FeatureMatrix } from './gbdt.js';
import type { LabelledRiskDeclaration, RiskDeclaration, RiskLabel } from './risk-declaration.js';
import {
  EntityTallies,
  smoothedRate,
  walkInTimeOrder,
  type EntityTally,
  type EntityTallyGroupJson,
} from './target-statistics.js';

type RiskField = Exclude<keyof RiskDeclaration, 'date' | 'taxRate' | 'netMassKg' | 'itemPriceKrw'>;
type DerivedField = 'hs4' | 'hs2';

/** A kind of entity whose inspection history is tallied. */
export interface EntityGroup {
  /** Stable identifier used in feature names and model files, e.g. `seller`, `hs6_origin`. */
  name: string;
  fields: readonly (RiskField | DerivedField)[];
  /** Also tally critical fraud (worth it for parties and routes, noise for small code lists). */
  critical: boolean;
}

export const ENTITY_GROUPS: readonly EntityGroup[] = [
  { name: 'importer', fields: ['importerId'], critical: true },
  { name: 'declarant', fields: ['declarantId'], critical: true },
  { name: 'seller', fields: ['sellerId'], critical: true },
  { name: 'courier', fields: ['courierId'], critical: false },
  { name: 'hs6', fields: ['hs6Code'], critical: true },
  { name: 'hs4', fields: ['hs4'], critical: false },
  { name: 'hs2', fields: ['hs2'], critical: false },
  { name: 'office', fields: ['officeId'], critical: false },
  { name: 'departure', fields: ['departureCountry'], critical: false },
  { name: 'origin', fields: ['originCountry'], critical: true },
  { name: 'tax_type', fields: ['taxType'], critical: false },
  { name: 'origin_indicator', fields: ['originIndicator'], critical: false },
  { name: 'process_type', fields: ['processType'], critical: false },
  { name: 'import_type', fields: ['importType'], critical: false },
  { name: 'import_use', fields: ['importUse'], critical: false },
  { name: 'payment_type', fields: ['paymentType'], critical: false },
  { name: 'transport_mode', fields: ['transportMode'], critical: false },
  { name: 'importer_hs6', fields: ['importerId', 'hs6Code'], critical: false },
  { name: 'declarant_hs6', fields: ['declarantId', 'hs6Code'], critical: false },
  { name: 'seller_hs6', fields: ['sellerId', 'hs6Code'], critical: false },
  { name: 'importer_declarant', fields: ['importerId', 'declarantId'], critical: false },
  { name: 'importer_seller', fields: ['importerId', 'sellerId'], critical: false },
  { name: 'declarant_office', fields: ['declarantId', 'officeId'], critical: false },
  { name: 'seller_origin', fields: ['sellerId', 'originCountry'], critical: false },
  { name: 'hs6_origin', fields: ['hs6Code', 'originCountry'], critical: true },
  { name: 'hs6_departure', fields: ['hs6Code', 'departureCountry'], critical: false },
  { name: 'hs6_tax_type', fields: ['hs6Code', 'taxType'], critical: false },
  { name: 'hs6_office', fields: ['hs6Code', 'officeId'], critical: false },
  { name: 'hs6_origin_indicator', fields: ['hs6Code', 'originIndicator'], critical: false },
];

/** Names of the scalar features that follow the entity-group features. */
export const SCALAR_FEATURES = [
  'item_price_krw',
  'net_mass_kg',
  'unit_value_krw_per_kg',
  'unit_value_vs_hs6_norm',
  'tax_rate',
  'departure_differs_from_origin',
] as const;

/** Smoothing strength of the fraud rates (pseudo-declarations at the prior rate). */
const RATE_SMOOTHING = 1;
/** Fewer observations than this and the HS6 unit-value norm falls back to the coarser code. */
const MIN_NORM_OBSERVATIONS = 5;
/** Net mass below this (in kg) is treated as this, so unit values stay finite. */
const MIN_MASS_KG = 0.01;

/** Feature names in matrix column order; `<group>.fraud_rate`, `<group>.history_count`, `<group>.critical_rate`. */
export const FEATURE_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const group of ENTITY_GROUPS) {
    names.push(`${group.name}.fraud_rate`, `${group.name}.history_count`);
    if (group.critical) names.push(`${group.name}.critical_rate`);
  }
  names.push(...SCALAR_FEATURES);
  return names;
})();

const KEY_SEPARATOR = '\u001f';

function fieldValue(declaration: RiskDeclaration, field: RiskField | DerivedField): string | undefined {
  if (field === 'hs4')
    return declaration.hs6Code && declaration.hs6Code.length >= 4
      ? declaration.hs6Code.slice(0, 4)
      : undefined;
  if (field === 'hs2')
    return declaration.hs6Code && declaration.hs6Code.length >= 2
      ? declaration.hs6Code.slice(0, 2)
      : undefined;
  const value = declaration[field];
  return value === undefined || value === '' ? undefined : value;
}

/** The entity key of a declaration in a group, or undefined when one of the group's fields is missing. */
export function entityKey(declaration: RiskDeclaration, group: EntityGroup): string | undefined {
  if (group.fields.length === 1) return fieldValue(declaration, group.fields[0]);
  const parts: string[] = [];
  for (const field of group.fields) {
    const value = fieldValue(declaration, field);
    if (value === undefined) return undefined;
    parts.push(value);
  }
  return parts.join(KEY_SEPARATOR);
}

/** Declared unit value in KRW per kg, NaN when price or mass is unknown. */
export function unitValue(declaration: RiskDeclaration): number {
  const { itemPriceKrw, netMassKg } = declaration;
  if (
    itemPriceKrw === undefined ||
    netMassKg === undefined ||
    !Number.isFinite(itemPriceKrw) ||
    !Number.isFinite(netMassKg)
  )
    return NaN;
  return itemPriceKrw / Math.max(netMassKg, MIN_MASS_KG);
}

/** Median unit value per HS6, HS4 and HS2 code over a training window. */
export interface UnitValueNorms {
  hs6: Record<string, number>;
  hs4: Record<string, number>;
  hs2: Record<string, number>;
  overall: number;
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

/** Computes unit-value norms (uses prices and masses only, never labels). */
export function computeUnitValueNorms(declarations: readonly RiskDeclaration[]): UnitValueNorms {
  const byCode: [Map<string, number[]>, Map<string, number[]>, Map<string, number[]>] = [
    new Map(),
    new Map(),
    new Map(),
  ];
  const all: number[] = [];
  for (const declaration of declarations) {
    const value = unitValue(declaration);
    const hs6 = declaration.hs6Code;
    if (!Number.isFinite(value)) continue;
    all.push(value);
    if (!hs6) continue;
    [hs6, hs6.slice(0, 4), hs6.slice(0, 2)].forEach((code, level) => {
      const list = byCode[level].get(code);
      if (list) list.push(value);
      else byCode[level].set(code, [value]);
    });
  }
  const toRecord = (map: Map<string, number[]>): Record<string, number> => {
    const record: Record<string, number> = {};
    for (const [code, values] of map)
      if (values.length >= MIN_NORM_OBSERVATIONS) record[code] = median(values);
    return record;
  };
  return {
    hs6: toRecord(byCode[0]),
    hs4: toRecord(byCode[1]),
    hs2: toRecord(byCode[2]),
    overall: all.length > 0 ? median(all) : NaN,
  };
}

/** The norm a declaration's unit value is compared with (its HS6 median, or a coarser fallback). */
export function unitValueNorm(norms: UnitValueNorms, hs6Code: string | undefined): number {
  if (hs6Code) {
    const value = norms.hs6[hs6Code] ?? norms.hs4[hs6Code.slice(0, 4)] ?? norms.hs2[hs6Code.slice(0, 2)];
    if (value !== undefined) return value;
  }
  return norms.overall;
}

function writeFeatures(
  declaration: RiskDeclaration,
  tallies: EntityTallies,
  norms: UnitValueNorms,
  out: Float64Array,
  offset: number,
): void {
  const total = tallies.total;
  // Prior of the shrinkage: the overall rate so far (Laplace-smoothed so that the first day is defined).
  const fraudPrior = (total.fraud + 1) / (total.count + 2);
  const criticalPrior = (total.critical + 1) / (total.count + 20);
  let column = offset;
  for (let g = 0; g < ENTITY_GROUPS.length; g++) {
    const group = ENTITY_GROUPS[g];
    const key = entityKey(declaration, group);
    if (key === undefined) {
      out[column++] = NaN;
      out[column++] = NaN;
      if (group.critical) out[column++] = NaN;
      continue;
    }
    const tally: EntityTally | undefined = tallies.get(g, key);
    const count = tally?.count ?? 0;
    out[column++] = smoothedRate(tally?.fraud ?? 0, count, fraudPrior, RATE_SMOOTHING);
    out[column++] = tally?.seen ?? 0;
    if (group.critical)
      out[column++] = smoothedRate(tally?.critical ?? 0, count, criticalPrior, RATE_SMOOTHING);
  }
  const price = declaration.itemPriceKrw;
  const mass = declaration.netMassKg;
  const value = unitValue(declaration);
  const norm = unitValueNorm(norms, declaration.hs6Code);
  out[column++] = price ?? NaN;
  out[column++] = mass ?? NaN;
  out[column++] = value;
  out[column++] = Number.isFinite(value) && norm > 0 ? value / norm : NaN;
  out[column++] = declaration.taxRate ?? NaN;
  const { departureCountry, originCountry } = declaration;
  out[column] = departureCountry && originCountry ? (departureCountry === originCountry ? 0 : 1) : NaN;
}

/** Adds a declaration to the history; `label` only when it was inspected. */
function learnDeclaration(
  declaration: RiskDeclaration,
  label: RiskLabel | undefined,
  tallies: EntityTallies,
): void {
  for (let g = 0; g < ENTITY_GROUPS.length; g++) {
    const key = entityKey(declaration, ENTITY_GROUPS[g]);
    if (key !== undefined) tallies.add(g, key, label);
  }
  tallies.addToTotal(label);
}

/** Plain-JSON state of the encoder, stored inside the model file. */
export interface RiskFeatureEncoderJson {
  featureNames: string[];
  entityGroups: string[];
  norms: UnitValueNorms;
  tallies: { total: EntityTally; groups: EntityTallyGroupJson[] };
}

/** Turns declarations into feature rows, using the history frozen at the end of the training window. */
export class RiskFeatureEncoder {
  constructor(
    readonly tallies: EntityTallies,
    readonly norms: UnitValueNorms,
  ) {}

  get featureNames(): readonly string[] {
    return FEATURE_NAMES;
  }

  /** Encodes many declarations into a row-major matrix. */
  encode(declarations: readonly RiskDeclaration[]): FeatureMatrix {
    const columns = FEATURE_NAMES.length;
    const values = new Float64Array(declarations.length * columns);
    for (let i = 0; i < declarations.length; i++)
      writeFeatures(declarations[i], this.tallies, this.norms, values, i * columns);
    return { rows: declarations.length, columns, values };
  }

  /** Adds newly inspected declarations to the history (e.g. as inspection results come in). */
  learn(labelled: readonly LabelledRiskDeclaration[]): void {
    for (const { declaration, label } of labelled) learnDeclaration(declaration, label, this.tallies);
  }

  /** Adds declarations that were not inspected: they count as seen, without an outcome. */
  observe(declarations: readonly RiskDeclaration[]): void {
    for (const declaration of declarations) learnDeclaration(declaration, undefined, this.tallies);
  }

  toJson(): RiskFeatureEncoderJson {
    return {
      featureNames: [...FEATURE_NAMES],
      entityGroups: ENTITY_GROUPS.map((g) => g.name),
      norms: this.norms,
      tallies: this.tallies.toJson(),
    };
  }

  static fromJson(json: RiskFeatureEncoderJson): RiskFeatureEncoder {
    const expected = FEATURE_NAMES.join(',');
    if (json.featureNames.join(',') !== expected) {
      throw new Error(
        'model was trained with a different feature set than this version of Clearway computes',
      );
    }
    return new RiskFeatureEncoder(EntityTallies.fromJson(json.tallies), json.norms);
  }
}

/** Training features with their labels, rows in time order. */
export interface TrainingFeatures {
  features: FeatureMatrix;
  fraud: Uint8Array;
  critical: Uint8Array;
  /** `order[i]` is the index (in the input array) of matrix row i. */
  order: Uint32Array;
  /** Dates of the matrix rows (time-ordered). */
  dates: string[];
  /** Encoder holding the whole window's history, for scoring later declarations. */
  encoder: RiskFeatureEncoder;
}

/**
 * Builds the training matrix from inspected declarations, plus optionally the declarations of the same
 * window that were not inspected (they add to the declaration counts only, and are not training rows).
 * Each row's history features come only from earlier days (ordered target statistics), so a row's own
 * label, and its same-day neighbours' labels, never leak into its features.
 */
export function buildTrainingFeatures(
  labelled: readonly LabelledRiskDeclaration[],
  uninspected: readonly RiskDeclaration[] = [],
): TrainingFeatures {
  const columns = FEATURE_NAMES.length;
  const rows = labelled.length;
  const values = new Float64Array(rows * columns);
  const fraud = new Uint8Array(rows);
  const critical = new Uint8Array(rows);
  const tallies = new EntityTallies(ENTITY_GROUPS.length);
  const norms = computeUnitValueNorms([...labelled.map((row) => row.declaration), ...uninspected]);
  // Indices >= rows refer to uninspected declarations.
  const dates = [...labelled.map((row) => row.declaration.date), ...uninspected.map((d) => d.date)];
  const order = new Uint32Array(rows);
  let next = 0;
  walkInTimeOrder(
    dates,
    (index) => {
      if (index >= rows) return;
      const row = next++;
      order[row] = index;
      const { declaration, label } = labelled[index];
      writeFeatures(declaration, tallies, norms, values, row * columns);
      fraud[row] = label.fraud ? 1 : 0;
      critical[row] = label.critical ? 1 : 0;
    },
    (index) => {
      if (index < rows) learnDeclaration(labelled[index].declaration, labelled[index].label, tallies);
      else learnDeclaration(uninspected[index - rows], undefined, tallies);
    },
  );
  return {
    features: { rows, columns, values },
    fraud,
    critical,
    order,
    dates: Array.from(order, (index) => dates[index]),
    encoder: new RiskFeatureEncoder(tallies, norms),
  };
}
