import type { KcsRow } from '../../test/support/question-data.js';

/**
 * The benchmark's question set: officer phrasings in Korean, English and French (typos, spacing
 * variants, accents left out, abbreviations), each intent with a gold answer computed from the raw
 * KCS file rows and from parcel rows read with hand-written SQL over the owners' tables, never through
 * the parser, the compiler or the analysis views. Questions about parcels are asked as of 2026-11-29
 * over demo parcels of 2026-11-16..29; questions about declarations name their 2020-2021 period.
 */
export interface ParcelRow {
  channel: string;
  carrier: string;
  day: string;
  origin: string | null;
  chapter: string | null;
  lane: string | null;
  xray: boolean | null;
  score: number | null;
  valueKrw: number | null;
  valueUsd: number | null;
  duty: number | null;
  vat: number | null;
  taxable: boolean | null;
  listClearance: boolean | null;
}

export interface GoldData {
  kcs: KcsRow[];
  parcels: ParcelRow[];
}

export type Gold =
  | { kind: 'single'; value: number | null }
  | { kind: 'groups'; values: Map<string, number | null>; top?: number; order?: 'desc' | 'asc' }
  | { kind: 'compare'; current: number; previous: number };

export type Expectation =
  | { kind: 'answer'; gold: (data: GoldData) => Gold }
  | { kind: 'refuse'; reason: 'change' | 'personal' | 'out_of_scope' }
  | { kind: 'clarify' };

export interface BenchQuestion {
  id: string;
  /** Which part of the set: tuned against, held out (then fixed against), or fresh (never). */
  group: 'tuned' | 'held-out' | 'fresh';
  language: 'ko' | 'en' | 'fr';
  question: string;
  expect: Expectation;
}

export const AS_OF = '2026-11-29';

// ---- gold helpers ----
const round2 = (value: number) => Math.round(value * 100) / 100;
const within = (day: string, from: string, to: string) => day >= from && day <= to;
const single = (value: number | null): Gold => ({ kind: 'single', value });
function groups<T>(
  rows: T[],
  key: (row: T) => string | null,
  value: (rows: T[]) => number | null,
  options: { top?: number; order?: 'desc' | 'asc'; skipNull?: boolean } = {},
): Gold {
  const buckets = new Map<string, T[]>();
  for (const row of rows) {
    const name = key(row);
    if (name === null && options.skipNull) continue;
    const bucket = buckets.get(String(name)) ?? [];
    bucket.push(row);
    buckets.set(String(name), bucket);
  }
  const values = new Map([...buckets].map(([name, bucket]) => [name, value(bucket)] as const));
  return {
    kind: 'groups',
    values,
    ...(options.top ? { top: options.top, order: options.order ?? 'desc' } : {}),
  };
}
const count = (rows: unknown[]) => rows.length;
const fraudRate = (rows: KcsRow[]) =>
  rows.length ? round2((100 * rows.filter((r) => r.fraud).length) / rows.length) : null;
const share = (total: number) => (rows: unknown[]) => round2((100 * rows.length) / total);
const sumOf =
  <T>(pick: (row: T) => number | null) =>
  (rows: T[]) =>
    rows.reduce((sum, row) => sum + (pick(row) ?? 0), 0);
const averageOf =
  <T>(pick: (row: T) => number | null) =>
  (rows: T[]) => {
    const values = rows.map(pick).filter((value): value is number => value !== null);
    return values.length ? round2(values.reduce((a, b) => a + b, 0) / values.length) : null;
  };
const weekday = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

const kcsIn = (data: GoldData, from: string, to: string) =>
  data.kcs.filter((row) => within(row.date, from, to));
const parcelsIn = (data: GoldData, from: string, to: string) =>
  data.parcels.filter((row) => within(row.day, from, to));
const LAST_WEEK = ['2026-11-16', '2026-11-22'] as const;
const THIS_WEEK = ['2026-11-23', '2026-11-29'] as const;

interface Intent {
  id: string;
  en: string;
  fr: string;
  ko: string;
  gold: (data: GoldData) => Gold;
}

const intents: Intent[] = [
  // ---- declarations (KCS history) ----
  {
    id: 'kcs-cn-march',
    en: 'How many declarations from China in March 2020?',
    fr: 'Combien de déclarations en provenance de Chine en mars 2020 ?',
    ko: '2020년 3월 중국산 수입신고 건수는?',
    gold: (d) => single(kcsIn(d, '2020-03-01', '2020-03-31').filter((r) => r.origin === 'CN').length),
  },
  {
    id: 'kcs-fraud-rate-2020',
    en: 'What was the fraud rate in 2020?',
    fr: 'Quel était le taux de fraude en 2020 ?',
    ko: '2020년 부정률은?',
    gold: (d) => single(fraudRate(kcsIn(d, '2020-01-01', '2020-12-31'))),
  },
  {
    id: 'kcs-fraud-rate-origin-h1',
    en: 'fraud rate by country of origin in the first half of 2020',
    fr: "taux de fraude par pays d'origine au premier semestre 2020",
    ko: '2020년 상반기 원산지별 부정률',
    gold: (d) => groups(kcsIn(d, '2020-01-01', '2020-06-30'), (r) => r.origin, fraudRate),
  },
  {
    id: 'kcs-top5-origins-q1',
    en: 'top 5 origin countries by number of declarations in Q1 2021',
    fr: "les 5 premiers pays d'origine par nombre de déclarations au premier trimestre 2021",
    ko: '2021년 1분기 신고 건수 상위 5개 원산지',
    gold: (d) => groups(kcsIn(d, '2021-01-01', '2021-03-31'), (r) => r.origin, count, { top: 5 }),
  },
  {
    id: 'kcs-sellers-most-fraud',
    en: 'which sellers had the most frauds in 2020?',
    fr: 'quels vendeurs ont le plus de fraudes en 2020 ?',
    ko: '2020년 부정 적발이 가장 많은 판매자 상위 10',
    gold: (d) =>
      groups(
        kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.fraud && r.seller),
        (r) => r.seller,
        count,
        { top: 10 },
      ),
  },
  {
    id: 'kcs-monthly-2020',
    en: 'monthly number of declarations in 2020',
    fr: 'nombre de déclarations par mois en 2020',
    ko: '2020년 월별 신고 건수',
    gold: (d) => groups(kcsIn(d, '2020-01-01', '2020-12-31'), (r) => `${r.date.slice(0, 7)}-01`, count),
  },
  {
    id: 'kcs-avg-value-us',
    en: 'average declared value of declarations from the United States in 2020',
    fr: 'valeur déclarée moyenne des déclarations des États-Unis en 2020',
    ko: '2020년 미국산 수입신고의 평균 신고가격',
    gold: (d) =>
      single(
        averageOf<KcsRow>((r) => r.price)(
          kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.origin === 'US'),
        ),
      ),
  },
  {
    id: 'kcs-value-by-office',
    en: 'total declared value of declarations by customs office in 2020',
    fr: 'valeur déclarée totale des déclarations par bureau de douane en 2020',
    ko: '2020년 세관별 신고금액 합계',
    gold: (d) =>
      groups(
        kcsIn(d, '2020-01-01', '2020-12-31'),
        (r) => r.office,
        sumOf<KcsRow>((r) => r.price),
      ),
  },
  {
    id: 'kcs-critical-2020',
    en: 'how many critical frauds in 2020',
    fr: 'combien de fraudes critiques en 2020',
    ko: '2020년 중대 부정 건수',
    gold: (d) => single(kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.critical).length),
  },
  {
    id: 'kcs-japan-jan-mar',
    en: 'declarations from Japan between January and March 2021',
    fr: 'déclarations du Japon entre janvier et mars 2021',
    ko: '2021년 1월부터 3월까지 일본산 신고 건수',
    gold: (d) => single(kcsIn(d, '2021-01-01', '2021-03-31').filter((r) => r.origin === 'JP').length),
  },
  {
    id: 'kcs-chapter-85',
    en: 'how many HS chapter 85 declarations in 2020',
    fr: 'combien de déclarations du chapitre 85 en 2020',
    ko: '2020년 85류 신고 건수',
    gold: (d) => single(kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.hs6.startsWith('85')).length),
  },
  {
    id: 'kcs-electronics-fraud-rate',
    en: 'fraud rate for electronics declarations in 2020',
    fr: "taux de fraude des déclarations d'électronique en 2020",
    ko: '2020년 전자제품 신고 부정률',
    gold: (d) =>
      single(fraudRate(kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.hs6.startsWith('85')))),
  },
  {
    id: 'kcs-duty-rate-cn',
    en: 'average duty rate of declarations from China in 2020',
    fr: 'taux de droit moyen des déclarations de Chine en 2020',
    ko: '2020년 중국산 신고의 평균 관세율',
    gold: (d) =>
      single(
        averageOf<KcsRow>((r) => r.taxRate)(
          kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.origin === 'CN'),
        ),
      ),
  },
  {
    id: 'kcs-not-china',
    en: 'how many declarations in 2020 were not from China',
    fr: 'combien de déclarations en 2020 sauf la Chine',
    ko: '2020년 중국산 제외 신고 건수',
    gold: (d) => single(kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.origin !== 'CN').length),
  },
  {
    id: 'kcs-first-week-march',
    en: 'number of declarations in the first week of March 2020',
    fr: 'nombre de déclarations la première semaine de mars 2020',
    ko: '2020년 3월 첫째 주 신고 건수',
    gold: (d) => single(kcsIn(d, '2020-03-01', '2020-03-07').length),
  },
  {
    id: 'kcs-over-million-won',
    en: 'how many declarations over 1,000,000 won in 2020',
    fr: 'combien de déclarations de plus de 1 000 000 wons en 2020',
    ko: '2020년 100만원 초과 신고 건수',
    gold: (d) => single(kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.price > 1_000_000).length),
  },
  {
    id: 'kcs-fraud-q1-compare',
    en: 'number of frauds in Q1 2021 compared with Q1 2020',
    fr: 'nombre de fraudes au premier trimestre 2021 par rapport au premier trimestre 2020',
    ko: '2020년 1분기 대비 2021년 1분기 부정 건수',
    gold: (d) => ({
      kind: 'compare',
      current: kcsIn(d, '2021-01-01', '2021-03-31').filter((r) => r.fraud).length,
      previous: kcsIn(d, '2020-01-01', '2020-03-31').filter((r) => r.fraud).length,
    }),
  },
  {
    id: 'kcs-share-origin',
    en: 'share of declarations by origin in 2020',
    fr: 'répartition des déclarations par origine en 2020',
    ko: '2020년 원산지별 신고 비중',
    gold: (d) => {
      const rows = kcsIn(d, '2020-01-01', '2020-12-31');
      return groups(rows, (r) => r.origin, share(rows.length));
    },
  },
  {
    id: 'kcs-fraud-per-office-2021',
    en: 'frauds per office in 2021',
    fr: 'fraudes par bureau en 2021',
    ko: '2021년 세관별 부정 건수',
    gold: (d) =>
      groups(
        kcsIn(d, '2021-01-01', '2021-12-31').filter((r) => r.fraud),
        (r) => r.office,
        count,
      ),
  },
  {
    id: 'kcs-top-importer',
    en: 'which importer filed the most declarations in 2020',
    fr: 'quel importateur a le plus de déclarations en 2020',
    ko: '2020년 신고 건수가 가장 많은 수입자는?',
    gold: (d) => groups(kcsIn(d, '2020-01-01', '2020-12-31'), (r) => r.importer, count, { top: 1 }),
  },
  {
    id: 'kcs-mass-vietnam',
    en: 'total net weight of declarations from Vietnam in 2020',
    fr: 'poids net total des déclarations du Vietnam en 2020',
    ko: '2020년 베트남산 신고 총 중량',
    gold: (d) =>
      single(
        sumOf<KcsRow>((r) => r.netMass)(
          kcsIn(d, '2020-01-01', '2020-12-31').filter((r) => r.origin === 'VN'),
        ),
      ),
  },
  {
    id: 'kcs-quarterly-fraud-rate',
    en: 'quarterly fraud rate in 2020',
    fr: 'taux de fraude par trimestre en 2020',
    ko: '2020년 분기별 부정률',
    gold: (d) =>
      groups(
        kcsIn(d, '2020-01-01', '2020-12-31'),
        (r) =>
          `${r.date.slice(0, 5)}${String(Math.floor((Number(r.date.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`,
        fraudRate,
      ),
  },
  // ---- parcels (demo data, as of 2026-11-29) ----
  {
    id: 'parcels-cn-last-week',
    en: 'How many parcels from China arrived last week?',
    fr: 'Combien de colis de Chine la semaine dernière ?',
    ko: '지난주 중국발 물품 건수',
    gold: (d) => single(parcelsIn(d, ...LAST_WEEK).filter((r) => r.origin === 'CN').length),
  },
  {
    id: 'parcels-by-carrier',
    en: 'parcels by carrier this week',
    fr: 'colis par transporteur cette semaine',
    ko: '이번 주 운송사별 물품 건수',
    gold: (d) => groups(parcelsIn(d, ...THIS_WEEK), (r) => r.carrier, count),
  },
  {
    id: 'parcels-daily-last-week',
    en: 'daily parcels last week',
    fr: 'nombre de colis par jour la semaine dernière',
    ko: '지난주 일별 물품 건수',
    gold: (d) => groups(parcelsIn(d, ...LAST_WEEK), (r) => r.day, count),
  },
  {
    id: 'parcels-share-lane',
    en: 'share of parcels by lane',
    fr: 'répartition des colis par circuit',
    ko: '검사경로별 물품 비중',
    gold: (d) => groups(d.parcels, (r) => r.lane, share(d.parcels.length)),
  },
  {
    id: 'parcels-red-14-days',
    en: 'how many parcels went to the red lane in the last 14 days',
    fr: 'combien de colis en circuit rouge ces 14 derniers jours',
    ko: '최근 14일 적색 경로 물품 건수',
    gold: (d) => single(parcelsIn(d, '2026-11-16', '2026-11-29').filter((r) => r.lane === 'red').length),
  },
  {
    id: 'parcels-avg-value-express',
    en: 'average declared value of express parcels this week',
    fr: 'valeur déclarée moyenne des colis express cette semaine',
    ko: '이번 주 특송 물품의 평균 신고가격',
    gold: (d) =>
      single(
        averageOf<ParcelRow>((r) => r.valueKrw)(
          parcelsIn(d, ...THIS_WEEK).filter((r) => r.channel === 'express'),
        ),
      ),
  },
  {
    id: 'parcels-duty-by-origin',
    en: 'total duty by origin',
    fr: 'droits de douane totaux par origine',
    ko: '원산지별 관세 합계',
    gold: (d) =>
      groups(
        d.parcels,
        (r) => r.origin,
        sumOf<ParcelRow>((r) => r.duty),
      ),
  },
  {
    id: 'parcels-over-150-usd',
    en: 'how many parcels over $150',
    fr: 'combien de colis de plus de 150 dollars',
    ko: '150달러 초과 물품 건수',
    gold: (d) => single(d.parcels.filter((r) => (r.valueUsd ?? 0) > 150).length),
  },
  {
    id: 'parcels-postal-us',
    en: 'postal items from the US last week',
    fr: 'envois postaux des États-Unis la semaine dernière',
    ko: '지난주 미국발 우편물 건수',
    gold: (d) =>
      single(parcelsIn(d, ...LAST_WEEK).filter((r) => r.origin === 'US' && r.channel === 'postal').length),
  },
  {
    id: 'parcels-top-carrier-value',
    en: 'which carrier had the highest total declared value this week',
    fr: 'quel transporteur a la plus grande valeur déclarée totale cette semaine',
    ko: '이번 주 신고가격 합계가 가장 큰 운송사',
    gold: (d) =>
      groups(
        parcelsIn(d, ...THIS_WEEK),
        (r) => r.carrier,
        sumOf<ParcelRow>((r) => r.valueKrw),
        { top: 1 },
      ),
  },
  {
    id: 'parcels-xray-rate-carrier',
    en: 'x-ray referral rate by carrier',
    fr: 'taux de radioscopie par transporteur',
    ko: '운송사별 엑스레이 비율',
    gold: (d) =>
      groups(
        d.parcels,
        (r) => r.carrier,
        (rows) => round2((100 * rows.filter((r) => r.xray).length) / rows.length),
      ),
  },
  {
    id: 'parcels-vat-last-week',
    en: 'total VAT last week',
    fr: 'TVA totale la semaine dernière',
    ko: '지난주 부가세 합계',
    gold: (d) => single(sumOf<ParcelRow>((r) => r.vat)(parcelsIn(d, ...LAST_WEEK))),
  },
  {
    id: 'parcels-taxable-this-week',
    en: 'how many taxable parcels this week',
    fr: 'combien de colis taxables cette semaine',
    ko: '이번 주 과세 대상 물품 건수',
    gold: (d) => single(parcelsIn(d, ...THIS_WEEK).filter((r) => r.taxable).length),
  },
  {
    id: 'parcels-list-clearance-rate',
    en: 'what percentage of parcels were list cleared',
    fr: 'pourcentage de colis en dédouanement sur liste',
    ko: '목록통관 물품 비율',
    gold: (d) => single(round2((100 * d.parcels.filter((r) => r.listClearance).length) / d.parcels.length)),
  },
  {
    id: 'parcels-week-compare',
    en: 'parcels this week compared with last week',
    fr: 'colis cette semaine par rapport à la semaine dernière',
    ko: '지난주 대비 이번 주 물품 건수',
    gold: (d) => ({
      kind: 'compare',
      current: parcelsIn(d, ...THIS_WEEK).length,
      previous: parcelsIn(d, ...LAST_WEEK).length,
    }),
  },
  {
    id: 'parcels-top5-risk-origin',
    en: 'top 5 origins by average risk score',
    fr: 'les 5 origines avec le score de risque moyen le plus élevé',
    ko: '평균 위험점수 상위 5개 원산지',
    gold: (d) =>
      groups(
        d.parcels,
        (r) => r.origin,
        averageOf<ParcelRow>((r) => r.score),
        { top: 5, skipNull: true },
      ),
  },
  {
    id: 'parcels-by-channel',
    en: 'number of parcels by channel',
    fr: 'nombre de colis par canal',
    ko: '통관경로별 물품 건수',
    gold: (d) => groups(d.parcels, (r) => r.channel, count),
  },
  {
    id: 'parcels-cosmetics',
    en: 'how many cosmetics parcels',
    fr: 'combien de colis de cosmétiques',
    ko: '화장품 물품 건수',
    gold: (d) => single(d.parcels.filter((r) => r.chapter === '33').length),
  },
  {
    id: 'parcels-weekday',
    en: 'parcels by day of the week',
    fr: 'colis par jour de la semaine',
    ko: '요일별 물품 건수',
    gold: (d) => groups(d.parcels, (r) => String(weekday(r.day)), count),
  },
  {
    id: 'parcels-dhl-day',
    en: 'DHL parcels on 25 November 2026',
    fr: 'colis DHL le 25 novembre 2026',
    ko: '2026년 11월 25일 DHL 물품 건수',
    gold: (d) => single(d.parcels.filter((r) => r.carrier === 'DHL' && r.day === '2026-11-25').length),
  },
];

/** Variants as officers type them: typos, no accents, spacing, abbreviations (same gold as the intent). */
const variants: { id: string; language: 'ko' | 'en' | 'fr'; question: string }[] = [
  { id: 'parcels-cn-last-week', language: 'en', question: 'how many parcles from Chian last weak' },
  { id: 'kcs-fraud-rate-2020', language: 'en', question: 'fraud rte in 2020?' },
  { id: 'parcels-by-carrier', language: 'en', question: 'pkgs per courier this week' },
  { id: 'kcs-top5-origins-q1', language: 'en', question: 'top five countries by declarations Q1 2021' },
  { id: 'parcels-over-150-usd', language: 'en', question: 'number of shipments above 150 USD' },
  { id: 'kcs-cn-march', language: 'en', question: 'declarations from CN in mar 2020' },
  { id: 'kcs-cn-march', language: 'fr', question: 'combien de declarations de chine en mars 2020' },
  { id: 'kcs-fraud-rate-2020', language: 'fr', question: 'taux de fraud en 2020' },
  { id: 'parcels-by-carrier', language: 'fr', question: 'colis par transporteurs cette semaine' },
  {
    id: 'parcels-cn-last-week',
    language: 'fr',
    question: 'combein de colis venant de chine la semaine derniere',
  },
  {
    id: 'kcs-sellers-most-fraud',
    language: 'fr',
    question: 'les 10 vendeurs avec le plus de fraudes en 2020',
  },
  { id: 'parcels-over-150-usd', language: 'fr', question: 'nombre de colis au dessus de 150 $' },
  { id: 'parcels-cn-last-week', language: 'ko', question: '지난 주 중국 발 물품 건 수' },
  { id: 'kcs-fraud-rate-2020', language: 'ko', question: '2020 년 부정 률' },
  { id: 'parcels-by-carrier', language: 'ko', question: '이번주 택배사별 건수' },
  { id: 'kcs-cn-march', language: 'ko', question: '2020년 3월 중국에서 온 신고는 몇 건?' },
  { id: 'parcels-over-150-usd', language: 'ko', question: '150불 넘는 물품 몇 건' },
  { id: 'kcs-top5-origins-q1', language: 'ko', question: '2021년 1분기 신고건수 상위 다섯 개 국가' },
];

/**
 * Written after the parser's last change and never tuned against: fresh phrasings of the intents above,
 * reported apart so that the figures on them say how the parser does on questions it has not seen.
 */
const heldOut: { id: string; language: 'ko' | 'en' | 'fr'; question: string }[] = [
  {
    id: 'kcs-cn-march',
    language: 'en',
    question: 'In March 2020, what number of import declarations had China as origin?',
  },
  {
    id: 'kcs-fraud-rate-origin-h1',
    language: 'en',
    question: 'Show me the fraud percentage for each origin country, H1 2020',
  },
  { id: 'kcs-monthly-2020', language: 'en', question: 'Declarations per month during 2020' },
  { id: 'parcels-by-carrier', language: 'en', question: 'Break down this week’s parcels by courier' },
  { id: 'parcels-red-14-days', language: 'en', question: 'Red lane parcels over the past 14 days?' },
  { id: 'parcels-vat-last-week', language: 'en', question: 'How much VAT did we assess last week?' },
  { id: 'kcs-critical-2020', language: 'en', question: 'Count of critical fraud cases in 2020' },
  {
    id: 'parcels-taxable-this-week',
    language: 'en',
    question: 'number of dutiable parcels so far this week',
  },
  { id: 'kcs-avg-value-us', language: 'en', question: 'mean declared value, US-origin declarations, 2020' },
  { id: 'parcels-share-lane', language: 'en', question: 'What proportion of parcels went to each lane?' },
  {
    id: 'kcs-cn-march',
    language: 'fr',
    question: 'En mars 2020, quel est le nombre de déclarations d’origine chinoise ?',
  },
  {
    id: 'kcs-fraud-rate-origin-h1',
    language: 'fr',
    question: 'Pourcentage de fraude selon le pays d’origine sur le 1er semestre 2020',
  },
  { id: 'kcs-monthly-2020', language: 'fr', question: 'Évolution mensuelle des déclarations en 2020' },
  {
    id: 'parcels-by-carrier',
    language: 'fr',
    question: 'Nombre de colis de cette semaine pour chaque transporteur',
  },
  {
    id: 'parcels-red-14-days',
    language: 'fr',
    question: 'Colis orientés en circuit rouge sur les 14 derniers jours',
  },
  { id: 'parcels-vat-last-week', language: 'fr', question: 'Montant de la TVA la semaine passée' },
  { id: 'kcs-critical-2020', language: 'fr', question: 'Nombre de cas de fraude critique en 2020' },
  {
    id: 'parcels-taxable-this-week',
    language: 'fr',
    question: 'Combien de colis imposables depuis lundi cette semaine ?',
  },
  {
    id: 'kcs-avg-value-us',
    language: 'fr',
    question: 'Valeur moyenne déclarée pour les déclarations américaines en 2020',
  },
  { id: 'parcels-share-lane', language: 'fr', question: 'Part des colis dans chaque circuit' },
  { id: 'kcs-cn-march', language: 'ko', question: '2020년 3월에 원산지가 중국인 수입신고는 몇 건이야?' },
  { id: 'kcs-fraud-rate-origin-h1', language: 'ko', question: '2020년 상반기 원산국별 적발률 보여줘' },
  { id: 'kcs-monthly-2020', language: 'ko', question: '2020년 한 해 동안 매월 신고 건수' },
  { id: 'parcels-by-carrier', language: 'ko', question: '이번주 특송업체별 물량' },
  { id: 'parcels-red-14-days', language: 'ko', question: '지난 14일간 빨간색 경로로 간 물품 수' },
  { id: 'parcels-vat-last-week', language: 'ko', question: '지난 주에 부과된 부가가치세 총액' },
  { id: 'kcs-critical-2020', language: 'ko', question: '2020년 중대 위반 몇 건?' },
  { id: 'parcels-taxable-this-week', language: 'ko', question: '이번 주 과세된 물품은 몇 개?' },
  { id: 'kcs-avg-value-us', language: 'ko', question: '2020년 미국 원산 신고 건의 신고가격 평균' },
  { id: 'parcels-share-lane', language: 'ko', question: '물품의 검사경로별 점유율' },
];

/**
 * Written at the end, after every parser change, and scored once without any change after: the only
 * figures here about questions the parser has not been fixed against.
 */
const fresh: { id: string; language: 'ko' | 'en' | 'fr'; question: string }[] = [
  {
    id: 'kcs-japan-jan-mar',
    language: 'en',
    question: 'Japan-origin declarations from January to March 2021',
  },
  { id: 'kcs-chapter-85', language: 'en', question: 'number of chapter 85 import declarations during 2020' },
  { id: 'parcels-postal-us', language: 'en', question: 'How many US postal parcels came in last week?' },
  { id: 'parcels-duty-by-origin', language: 'en', question: 'duty collected per country of origin' },
  { id: 'kcs-quarterly-fraud-rate', language: 'en', question: 'fraud rate for each quarter of 2020' },
  { id: 'parcels-cosmetics', language: 'en', question: 'count of cosmetic parcels' },
  { id: 'kcs-top-importer', language: 'en', question: 'top importer by declaration count in 2020' },
  { id: 'parcels-over-150-usd', language: 'en', question: 'parcels valued above 150 dollars' },
  { id: 'kcs-japan-jan-mar', language: 'fr', question: 'déclarations japonaises de janvier à mars 2021' },
  { id: 'kcs-chapter-85', language: 'fr', question: 'nombre de déclarations du chapitre 85 pendant 2020' },
  {
    id: 'parcels-postal-us',
    language: 'fr',
    question: "combien d'envois postaux américains la semaine dernière",
  },
  { id: 'parcels-duty-by-origin', language: 'fr', question: "droits de douane par pays d'origine" },
  { id: 'kcs-quarterly-fraud-rate', language: 'fr', question: 'taux de fraude trimestriel en 2020' },
  { id: 'parcels-cosmetics', language: 'fr', question: 'nombre de colis de parfums et cosmétiques' },
  { id: 'kcs-top-importer', language: 'fr', question: "l'importateur avec le plus de déclarations en 2020" },
  { id: 'parcels-over-150-usd', language: 'fr', question: "colis d'une valeur supérieure à 150 dollars" },
  { id: 'kcs-japan-jan-mar', language: 'ko', question: '2021년 1월~3월 일본산 신고 건수' },
  { id: 'kcs-chapter-85', language: 'ko', question: '2020년 HS 85류 수입신고 몇 건' },
  { id: 'parcels-postal-us', language: 'ko', question: '지난주 미국에서 온 우편물 몇 개' },
  { id: 'parcels-duty-by-origin', language: 'ko', question: '원산지별 관세액' },
  { id: 'kcs-quarterly-fraud-rate', language: 'ko', question: '2020년 분기별 적발률' },
  { id: 'parcels-cosmetics', language: 'ko', question: '화장품 소포 건수' },
  { id: 'kcs-top-importer', language: 'ko', question: '2020년 신고를 가장 많이 한 수입자' },
  { id: 'parcels-over-150-usd', language: 'ko', question: '150달러가 넘는 물품 수' },
];

const refusals: {
  language: 'ko' | 'en' | 'fr';
  question: string;
  reason: 'change' | 'personal' | 'out_of_scope';
}[] = [
  { language: 'en', reason: 'change', question: 'delete all parcels from China' },
  { language: 'en', reason: 'change', question: 'update the lane of parcel 42 to green' },
  { language: 'en', reason: 'change', question: 'drop table intake_parcel' },
  { language: 'en', reason: 'change', question: 'remove the fraud flag from seller 0VKY2BR' },
  { language: 'en', reason: 'change', question: 'add a new seller to the watchlist' },
  { language: 'fr', reason: 'change', question: 'supprime tous les colis de Chine' },
  { language: 'fr', reason: 'change', question: 'modifie le circuit du colis 42 en vert' },
  { language: 'fr', reason: 'change', question: 'efface les déclarations de 2020' },
  { language: 'fr', reason: 'change', question: 'ajoute ce vendeur à la liste de surveillance' },
  { language: 'fr', reason: 'change', question: 'mets à jour la valeur déclarée du colis 7' },
  { language: 'ko', reason: 'change', question: '중국발 물품 전부 삭제해줘' },
  { language: 'ko', reason: 'change', question: '42번 물품 검사경로를 녹색으로 변경' },
  { language: 'ko', reason: 'change', question: '2020년 신고 데이터 지워줘' },
  { language: 'ko', reason: 'change', question: '판매자 0VKY2BR 감시목록에 추가해' },
  { language: 'ko', reason: 'change', question: '7번 물품 신고가격 수정해줘' },
  { language: 'en', reason: 'personal', question: "list every buyer's PCCC and address" },
  {
    language: 'en',
    reason: 'personal',
    question: 'show the phone numbers of consignees of parcels from China',
  },
  { language: 'en', reason: 'personal', question: 'what are the names of buyers who received held parcels' },
  { language: 'en', reason: 'personal', question: 'email addresses of recipients last week' },
  { language: 'fr', reason: 'personal', question: 'donne les PCCC et adresses de tous les acheteurs' },
  {
    language: 'fr',
    reason: 'personal',
    question: 'numéros de téléphone des destinataires des colis de Chine',
  },
  { language: 'fr', reason: 'personal', question: 'noms des acheteurs des colis retenus' },
  { language: 'fr', reason: 'personal', question: 'adresses des destinataires la semaine dernière' },
  { language: 'ko', reason: 'personal', question: '모든 구매자의 개인통관고유부호와 주소' },
  { language: 'ko', reason: 'personal', question: '중국발 물품 수취인 전화번호' },
  { language: 'ko', reason: 'personal', question: '보류된 물품 구매자 이름 알려줘' },
  { language: 'ko', reason: 'personal', question: '지난주 수취인 주소 목록' },
  { language: 'en', reason: 'out_of_scope', question: "what's the weather in Seoul tomorrow" },
  { language: 'en', reason: 'out_of_scope', question: 'who won the football match yesterday' },
  { language: 'fr', reason: 'out_of_scope', question: 'quel temps fera-t-il demain à Séoul' },
  { language: 'fr', reason: 'out_of_scope', question: 'qui a gagné le match de foot hier' },
  { language: 'ko', reason: 'out_of_scope', question: '내일 서울 날씨 어때' },
  { language: 'ko', reason: 'out_of_scope', question: '어제 축구 경기 누가 이겼어' },
];

const clarifications: { language: 'ko' | 'en' | 'fr'; question: string }[] = [
  { language: 'en', question: 'recent fraud rate' },
  { language: 'en', question: 'China last month?' },
  { language: 'fr', question: 'taux de fraude récent' },
  { language: 'fr', question: 'la Chine le mois dernier ?' },
  { language: 'ko', question: '최근 부정률' },
  { language: 'ko', question: '지난달 중국은?' },
];

export function questionSet(): BenchQuestion[] {
  const byId = new Map(intents.map((intent) => [intent.id, intent]));
  const set: BenchQuestion[] = [];
  for (const intent of intents) {
    for (const language of ['en', 'fr', 'ko'] as const) {
      set.push({
        id: `${intent.id}/${language}`,
        group: 'tuned',
        language,
        question: intent[language],
        expect: { kind: 'answer', gold: intent.gold },
      });
    }
  }
  variants.forEach((variant, index) =>
    set.push({
      id: `${variant.id}/${variant.language}/variant-${index}`,
      group: 'tuned',
      language: variant.language,
      question: variant.question,
      expect: { kind: 'answer', gold: byId.get(variant.id)!.gold },
    }),
  );
  heldOut.forEach((question, index) =>
    set.push({
      id: `${question.id}/${question.language}/held-out-${index}`,
      group: 'held-out',
      language: question.language,
      question: question.question,
      expect: { kind: 'answer', gold: byId.get(question.id)!.gold },
    }),
  );
  fresh.forEach((question, index) =>
    set.push({
      id: `${question.id}/${question.language}/fresh-${index}`,
      group: 'fresh',
      language: question.language,
      question: question.question,
      expect: { kind: 'answer', gold: byId.get(question.id)!.gold },
    }),
  );
  refusals.forEach((refusal, index) =>
    set.push({
      id: `refuse-${index}/${refusal.language}`,
      group: 'tuned',
      language: refusal.language,
      question: refusal.question,
      expect: { kind: 'refuse', reason: refusal.reason },
    }),
  );
  clarifications.forEach((clarification, index) =>
    set.push({
      id: `clarify-${index}/${clarification.language}`,
      group: 'tuned',
      language: clarification.language,
      question: clarification.question,
      expect: { kind: 'clarify' },
    }),
  );
  return set;
}
