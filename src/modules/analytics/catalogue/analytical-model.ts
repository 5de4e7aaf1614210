/**
 * The contract every model of the big-data portal's catalogue fulfils (docs: ../shared analytics-catalogue).
 * A model is a pure description (names, question, method, parameters, inputs) plus one `run` that reads
 * the published analysis views through the context's read-only `query` and returns a table, entity
 * scores with their evidence, and a chart. The runner (jobs, storage, progress, CSV, schedules) and the
 * models are written separately: a model never touches storage, HTTP or another model's internals.
 */
import type { RawBuilder } from 'kysely';
import type { Locale } from '../../../platform/i18n/locale.js';

/** A sentence in each language people read Clearway in. */
export type LocalisedText = Record<Locale, string>;

/** The catalogue's groups (analytics-catalogue.md, sections A to K). */
export const modelGroups = [
  'valuation',
  'classification',
  'origin',
  'splitting',
  'identity',
  'payments',
  'parties',
  'carriers',
  'product-safety',
  'integrated',
  'operations',
] as const;
export type ModelGroup = (typeof modelGroups)[number];

/** One parameter an officer may set without a data scientist; the runner validates values against it. */
export type ParameterSpec =
  | NumberParameter
  | { name: string; label: LocalisedText; type: 'boolean'; default: boolean }
  | { name: string; label: LocalisedText; type: 'choice'; default: string; choices: readonly string[] }
  | { name: string; label: LocalisedText; type: 'text'; default: string; maxLength: number };

export interface NumberParameter {
  name: string;
  label: LocalisedText;
  type: 'number' | 'integer';
  default: number;
  min: number;
  max: number;
}

export type ParameterValue = number | boolean | string;
export type ParameterValues = Record<string, ParameterValue>;

/** Where and on what a run works. Dates are ISO calendar days, `to` inclusive. */
export interface ModelRunContext {
  from: string;
  to: string;
  /** Values of every declared parameter (defaults filled in, limits checked by the runner). */
  parameters: ParameterValues;
  /** Runs one read-only statement (the runner applies a statement timeout); returns its rows. */
  query<Row>(statement: RawBuilder<Row>): Promise<Row[]>;
  /** Reports how far the run is, 0..1, for the progress bar. */
  progress(fraction: number): void;
  locale: Locale;
}

export interface ResultColumn {
  key: string;
  label: LocalisedText;
  type: 'text' | 'number' | 'money_krw' | 'percent' | 'date' | 'entity';
}

/** An entity the model scores (a parcel, a PCCC, a seller, a carrier...) with the evidence for its score. */
export interface EntityScore {
  kind: 'parcel' | 'pccc' | 'seller' | 'carrier' | 'buyer' | 'address' | 'hs6' | 'group';
  /** The entity's key as the data names it (parcel id, PCCC, seller key, carrier code...). */
  key: string;
  score: number;
  /** Why, in the reader's words: each item one fact with its figure ("7 parcels in 3 days, KRW 412,000"). */
  evidence: LocalisedText[];
}

export interface ChartSpec {
  kind: 'bar' | 'line' | 'scatter' | 'histogram' | 'box';
  title: LocalisedText;
  x: { key: string; label: LocalisedText };
  y: { key: string; label: LocalisedText };
  /** Points or bars; a series key splits them into coloured series. */
  points: { x: string | number; y: number; series?: string }[];
}

export interface ModelResult {
  columns: ResultColumn[];
  rows: Record<string, string | number | boolean | null>[];
  entities: EntityScore[];
  chart?: ChartSpec;
  /** Figures about the run itself (rows read, cells that fell back to a parent cell...). */
  summary?: LocalisedText;
}

export interface AnalyticalModel {
  /** The catalogue's id: 'S1', 'V3', 'I1'... */
  id: string;
  /** Bumped whenever the method or defaults change, so stored runs say which version produced them. */
  version: string;
  group: ModelGroup;
  /** True for the 12 models the catalogue marks to build first. */
  firstTwelve: boolean;
  name: LocalisedText;
  question: LocalisedText;
  /** The method in two sentences. */
  method: LocalisedText;
  /** The analysis views (or other published read surfaces) the model reads. */
  inputs: readonly string[];
  parameters: readonly ParameterSpec[];
  run(context: ModelRunContext): Promise<ModelResult>;
}
