/**
 * The semantic layer: what a question may ask about, in business names, and where each name lives in
 * the published analysis views (migration 0050). Two subjects: parcels (intake's parcels with their
 * current targeting decision and clearance record) and declarations (KCS history and parcels' CN23 and
 * express declarations, with inspection outcomes). Nothing here names a table; only the owners' views.
 */
export type Language = 'ko' | 'en' | 'fr';
export const languages: readonly Language[] = ['ko', 'en', 'fr'];

export type Subject = 'parcels' | 'declarations';

export type Labels = Readonly<Record<Language, string>>;

/** The views each subject reads, with the alias the compiled SQL uses for each. */
export const subjectSources: Readonly<Record<Subject, string>> = {
  parcels:
    'intake_analysis_parcel p left join targeting_analysis_decision d on d.parcel_id = p.parcel_id left join clearance_analysis_parcel c on c.parcel_id = p.parcel_id',
  declarations: 'intake_analysis_declaration x',
};

/** Every view a generated statement may name (the SQL guard allows these and nothing else). */
export const allowedViews: readonly string[] = [
  'intake_analysis_parcel',
  'intake_analysis_declaration',
  'targeting_analysis_decision',
  'clearance_analysis_parcel',
];

export const subjectLabels: Readonly<Record<Subject, Labels>> = {
  parcels: { ko: '물품(소포)', en: 'parcels', fr: 'colis' },
  declarations: { ko: '수입신고', en: 'declarations', fr: 'déclarations' },
};

/** The date each subject is dated by: a parcel by its arrival, a declaration by its acceptance. */
export const subjectDateColumn: Readonly<Record<Subject, string>> = {
  parcels: 'p.arrival_date',
  declarations: 'x.declared_on',
};

/** Numeric fields that can be summed or averaged. */
export type FieldId =
  'value_krw' | 'value_usd' | 'duty_krw' | 'vat_krw' | 'tax_krw' | 'net_mass_kg' | 'tax_rate' | 'risk_score';

export type Unit = 'KRW' | 'USD' | 'kg' | 'percent' | 'score';

export interface FieldDefinition {
  labels: Labels;
  unit: Unit;
  columns: Partial<Record<Subject, string>>;
}

export const fields: Readonly<Record<FieldId, FieldDefinition>> = {
  value_krw: {
    labels: { ko: '신고가격', en: 'declared value', fr: 'valeur déclarée' },
    unit: 'KRW',
    columns: { parcels: 'c.goods_price_krw', declarations: 'x.value_krw' },
  },
  value_usd: {
    labels: { ko: '신고가격(달러)', en: 'declared value (USD)', fr: 'valeur déclarée (USD)' },
    unit: 'USD',
    columns: { parcels: 'c.goods_price_usd' },
  },
  duty_krw: {
    labels: { ko: '관세', en: 'duty', fr: 'droits de douane' },
    unit: 'KRW',
    columns: { parcels: 'c.duty_krw' },
  },
  vat_krw: {
    labels: { ko: '부가가치세', en: 'VAT', fr: 'TVA' },
    unit: 'KRW',
    columns: { parcels: 'c.vat_krw' },
  },
  tax_krw: {
    labels: { ko: '세액 합계', en: 'total tax', fr: 'total des taxes' },
    unit: 'KRW',
    columns: { parcels: 'c.total_tax_krw' },
  },
  net_mass_kg: {
    labels: { ko: '순중량', en: 'net mass', fr: 'masse nette' },
    unit: 'kg',
    columns: { declarations: 'x.net_mass_kg', parcels: 'p.gross_mass_kg' },
  },
  tax_rate: {
    labels: { ko: '관세율', en: 'duty rate', fr: 'taux de droit' },
    unit: 'percent',
    columns: { declarations: 'x.tax_rate' },
  },
  risk_score: {
    labels: { ko: '위험 점수', en: 'risk score', fr: 'score de risque' },
    unit: 'score',
    columns: { parcels: 'd.score' },
  },
};

/** Yes/no facts a question can filter on or take the rate of. */
export type FlagId =
  | 'held'
  | 'seized'
  | 'released'
  | 'fraud'
  | 'critical_fraud'
  | 'inspected'
  | 'taxable'
  | 'list_clearance'
  | 'xray_referral';

export interface FlagDefinition {
  labels: Labels;
  columns: Partial<Record<Subject, string>>;
}

export const flags: Readonly<Record<FlagId, FlagDefinition>> = {
  held: { labels: { ko: '보류', en: 'held', fr: 'retenu' }, columns: { parcels: 'c.held' } },
  seized: { labels: { ko: '압수', en: 'seized', fr: 'saisi' }, columns: { parcels: 'c.seized' } },
  released: {
    labels: { ko: '반출(통관 완료)', en: 'released', fr: 'libéré' },
    columns: { parcels: "c.state = 'released'" },
  },
  fraud: {
    labels: { ko: '부정(적발)', en: 'fraud', fr: 'fraude' },
    columns: { declarations: 'x.fraud' },
  },
  critical_fraud: {
    labels: { ko: '중대 부정', en: 'critical fraud', fr: 'fraude critique' },
    columns: { declarations: 'x.critical_fraud' },
  },
  inspected: {
    labels: { ko: '검사 완료', en: 'inspected', fr: 'inspecté' },
    columns: { declarations: 'x.inspected' },
  },
  taxable: { labels: { ko: '과세 대상', en: 'taxable', fr: 'taxable' }, columns: { parcels: 'c.taxable' } },
  list_clearance: {
    labels: { ko: '목록통관', en: 'list clearance', fr: 'dédouanement sur liste' },
    columns: { parcels: 'c.list_clearance' },
  },
  xray_referral: {
    labels: { ko: 'X선 검사 회부', en: 'X-ray referral', fr: 'envoi en radioscopie' },
    columns: { parcels: 'd.xray_referral' },
  },
};

/** What results can be grouped by or filtered on. Date parts group by the subject's date. */
export type DimensionId =
  | 'origin'
  | 'departure'
  | 'hs_chapter'
  | 'hs_heading'
  | 'hs6'
  | 'carrier'
  | 'office'
  | 'channel'
  | 'lane'
  | 'state'
  | 'seller'
  | 'importer'
  | 'declarant'
  | 'import_type'
  | 'transport_mode'
  | 'payment_type'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year'
  | 'weekday';

export type TimeGrain = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'weekday';
export const timeGrains: readonly TimeGrain[] = ['day', 'week', 'month', 'quarter', 'year', 'weekday'];

export function isTimeGrain(dimension: DimensionId): dimension is TimeGrain {
  return (timeGrains as readonly string[]).includes(dimension);
}

export interface DimensionDefinition {
  labels: Labels;
  columns: Partial<Record<Subject, string>>;
}

function dated(grain: TimeGrain): Partial<Record<Subject, string>> {
  const expression = (column: string) =>
    grain === 'weekday'
      ? `extract(isodow from ${column})::int`
      : grain === 'day'
        ? column
        : `date_trunc('${grain}', ${column})::date`;
  return {
    parcels: expression(subjectDateColumn.parcels),
    declarations: expression(subjectDateColumn.declarations),
  };
}

export const dimensions: Readonly<Record<DimensionId, DimensionDefinition>> = {
  origin: {
    labels: { ko: '원산지', en: 'origin', fr: 'origine' },
    columns: { parcels: 'p.origin_country', declarations: 'x.origin_country' },
  },
  departure: {
    labels: { ko: '출발국', en: 'country of departure', fr: 'pays de départ' },
    columns: { parcels: 'p.departure_country', declarations: 'x.departure_country' },
  },
  hs_chapter: {
    labels: { ko: 'HS 류(2단위)', en: 'HS chapter', fr: 'chapitre SH' },
    columns: { parcels: 'p.hs_chapter', declarations: 'x.hs_chapter' },
  },
  hs_heading: {
    labels: { ko: 'HS 호(4단위)', en: 'HS heading', fr: 'position SH' },
    columns: { parcels: 'p.hs_heading', declarations: 'x.hs_heading' },
  },
  hs6: { labels: { ko: 'HS 6단위', en: 'HS6 code', fr: 'code SH6' }, columns: { declarations: 'x.hs6' } },
  carrier: {
    labels: { ko: '운송사', en: 'carrier', fr: 'transporteur' },
    columns: { parcels: 'p.carrier_code', declarations: 'x.carrier_code' },
  },
  office: {
    labels: { ko: '세관', en: 'customs office', fr: 'bureau de douane' },
    columns: { parcels: 'p.office_code', declarations: 'x.office_code' },
  },
  channel: { labels: { ko: '통관 경로', en: 'channel', fr: 'canal' }, columns: { parcels: 'p.channel' } },
  lane: { labels: { ko: '검사 경로', en: 'lane', fr: 'circuit' }, columns: { parcels: 'd.lane' } },
  state: { labels: { ko: '통관 상태', en: 'clearance state', fr: 'état' }, columns: { parcels: 'c.state' } },
  seller: {
    labels: { ko: '판매자', en: 'seller', fr: 'vendeur' },
    columns: { parcels: 'p.seller_key', declarations: 'x.seller_key' },
  },
  importer: {
    labels: { ko: '수입자', en: 'importer', fr: 'importateur' },
    columns: { declarations: 'x.importer_key' },
  },
  declarant: {
    labels: { ko: '신고인', en: 'declarant', fr: 'déclarant' },
    columns: { declarations: 'x.declarant_key' },
  },
  import_type: {
    labels: { ko: '수입 종류', en: 'import type', fr: "type d'importation" },
    columns: { declarations: 'x.import_type' },
  },
  transport_mode: {
    labels: { ko: '운송 수단', en: 'mode of transport', fr: 'mode de transport' },
    columns: { declarations: 'x.transport_mode' },
  },
  payment_type: {
    labels: { ko: '결제 방식', en: 'payment type', fr: 'type de paiement' },
    columns: { declarations: 'x.payment_type' },
  },
  day: { labels: { ko: '일자', en: 'day', fr: 'jour' }, columns: dated('day') },
  week: { labels: { ko: '주', en: 'week', fr: 'semaine' }, columns: dated('week') },
  month: { labels: { ko: '월', en: 'month', fr: 'mois' }, columns: dated('month') },
  quarter: { labels: { ko: '분기', en: 'quarter', fr: 'trimestre' }, columns: dated('quarter') },
  year: { labels: { ko: '연도', en: 'year', fr: 'année' }, columns: dated('year') },
  weekday: { labels: { ko: '요일', en: 'weekday', fr: 'jour de la semaine' }, columns: dated('weekday') },
};

/** Where a dimension, field or flag exists for a subject, it is in its `columns`. */
export function availableOn(
  definition: { columns: Partial<Record<Subject, string>> },
  subject: Subject,
): boolean {
  return definition.columns[subject] !== undefined;
}
