import { sql } from 'kysely';
import type { AnalyticalModel } from '../analytical-model.js';
import { declaredLines } from './declared-lines.js';
import { column, commonParameters, labels, num, numberParameter, rankingResult, round, say, text } from './model-kit.js';

interface DeclaredValue {
  seller_key: string;
  value: unknown;
  currency: string;
  value_krw: unknown;
}

interface SellerDigits {
  seller_key: string;
  lines: number;
  round: number;
  expected: number;
  z: number;
  mad: number;
}

/** Newcomb–Benford first-digit shares, log10(1 + 1/d). */
const benford = Array.from({ length: 9 }, (_, index) => Math.log10(1 + 1 / (index + 1)));

function firstDigit(value: number): number {
  const digits = String(Math.floor(Math.abs(value))).replace(/^0+/, '');
  return digits.length > 0 ? Number(digits[0]) : 0;
}

/** Mean absolute deviation of first-digit shares from Benford's (Nigrini: over 0.015 is non-conforming). */
function benfordMad(values: readonly number[]): number {
  const counts = new Array<number>(9).fill(0);
  let n = 0;
  for (const value of values) {
    const digit = firstDigit(value);
    if (digit === 0) continue;
    counts[digit - 1]!++;
    n++;
  }
  if (n === 0) return 0;
  return counts.reduce((sum, count, index) => sum + Math.abs(count / n - benford[index]!), 0) / 9;
}

/** A value in whole tens of its currency's units (10.00 USD, 50 CNY, 1,230 JPY). */
function isRound(value: number): boolean {
  return value >= 10 && Math.abs(value / 10 - Math.round(value / 10)) < 1e-9;
}

/**
 * V5 Benford and round-number test: made-up values tend to be round. Each seller's count of lines
 * declared in whole tens of their currency is set against the count expected from the period's rate per
 * currency (a yen price is round far more often than a dollar-and-cents one), as a z score; the
 * first-digit deviation from Benford's law is shown beside it where a seller has enough lines.
 */
export const benfordRoundValues: AnalyticalModel = {
  id: 'V5',
  version: '1.0.0',
  group: 'valuation',
  firstTwelve: false,
  name: text('Benford and round-number test', '벤포드·끝자리 반올림 검정', 'Test de Benford et des valeurs rondes'),
  question: text(
    'Do a seller’s declared values look made up?',
    '판매자의 신고가격이 지어낸 값처럼 보이는가?',
    'Les valeurs déclarées par un vendeur semblent-elles inventées ?',
  ),
  method: text(
    'Each declared line is round when its value is a whole number of tens in its currency; the period’s rate of round lines per currency gives each seller an expected count, and its excess is scored as a z. Beside it, the mean absolute deviation of the seller’s first digits from Benford’s law is shown once the seller has the minimum lines for that test.',
    '신고 품목의 가격이 해당 통화로 10 단위의 정수이면 반올림 값으로 본다. 통화별 기간 반올림 비율로 판매자별 기대 건수를 구하고 초과분을 z 점수로 매기며, 벤포드 검정 최소 건수를 넘는 판매자에는 첫 자리 숫자의 벤포드 법칙 대비 평균 절대 편차를 함께 보인다.',
    'Une ligne déclarée est ronde quand sa valeur est un nombre entier de dizaines de sa devise ; le taux de lignes rondes de la période par devise donne à chaque vendeur un compte attendu, et son excès est noté en z. À côté, l’écart absolu moyen des premiers chiffres du vendeur à la loi de Benford est montré dès qu’il a le minimum de lignes pour ce test.',
  ),
  inputs: ['intake_analysis_parcel_line', 'intake_analysis_buyer_parcel', 'clearance_analysis_parcel'],
  parameters: [
    numberParameter('min_lines', text('Minimum lines per seller', '판매자별 최소 품목 수', 'Lignes minimum par vendeur'), 5, 2, 10_000, 'integer'),
    numberParameter('z_cutoff', text('Round-value z cut-off', '반올림 z 기준값', 'Seuil du z des valeurs rondes'), 3, 0, 50),
    numberParameter('benford_min', text('Minimum lines for the Benford test', '벤포드 검정 최소 품목 수', 'Lignes minimum pour le test de Benford'), 100, 20, 100_000, 'integer'),
    commonParameters.limit(),
  ],
  async run(context) {
    const minLines = num(context.parameters.min_lines);
    const benfordMin = num(context.parameters.benford_min);
    const lines = await context.query<DeclaredValue>(sql`
      select d.seller_key, l.value, l.currency, d.value_krw
      from (${declaredLines(context)}) d
      join intake_analysis_parcel_line l on l.parcel_id = d.parcel_id and l.line_number = d.line_number
      where d.seller_key is not null and l.value is not null
    `);
    context.progress(0.6);
    const perCurrency = new Map<string, { n: number; round: number }>();
    for (const line of lines) {
      const entry = perCurrency.get(line.currency) ?? { n: 0, round: 0 };
      entry.n++;
      if (isRound(num(line.value))) entry.round++;
      perCurrency.set(line.currency, entry);
    }
    const rateOf = (currency: string) => {
      const entry = perCurrency.get(currency)!;
      return entry.round / entry.n;
    };
    const bySeller = new Map<string, DeclaredValue[]>();
    for (const line of lines) bySeller.set(line.seller_key, [...(bySeller.get(line.seller_key) ?? []), line]);
    const sellers: SellerDigits[] = [];
    for (const [seller, own] of bySeller) {
      if (own.length < minLines) continue;
      const roundCount = own.filter((line) => isRound(num(line.value))).length;
      const expected = own.reduce((sum, line) => sum + rateOf(line.currency), 0);
      const variance = own.reduce((sum, line) => sum + rateOf(line.currency) * (1 - rateOf(line.currency)), 0);
      sellers.push({
        seller_key: seller,
        lines: own.length,
        round: roundCount,
        expected,
        z: (roundCount - expected) / Math.sqrt(Math.max(variance, 1e-4)),
        mad: own.length >= benfordMin ? benfordMad(own.map((line) => num(line.value_krw))) : Number.NaN,
      });
    }
    const result = rankingResult({
      rows: sellers,
      kind: 'seller',
      key: (row) => row.seller_key,
      score: (row) => row.z,
      minScore: num(context.parameters.z_cutoff),
      limit: num(context.parameters.limit),
      evidence: text(
        '{round} of {lines} lines declared in round tens, against {expected} expected (z {z}); Benford MAD {mad}',
        '품목 {lines}건 중 {round}건이 10 단위 정수로 신고됨, 기대값 {expected}건(z {z}); 벤포드 MAD {mad}',
        '{round} lignes sur {lines} déclarées en dizaines rondes, pour {expected} attendues (z {z}) ; MAD de Benford {mad}',
      ),
      columns: [
        column('seller_key', 'entity'),
        column('lines', 'number', text('Lines', '품목 수', 'Lignes')),
        column('round', 'number', text('Round values', '반올림 값', 'Valeurs rondes')),
        column('expected', 'number', text('Expected', '기대값', 'Attendues')),
        column('z', 'number', labels.z),
        column('mad', 'text', text('Benford MAD', '벤포드 MAD', 'MAD de Benford')),
      ],
      cells: (row) => ({
        seller_key: row.seller_key,
        lines: row.lines,
        round: row.round,
        expected: round(row.expected, 2),
        z: round(row.z, 2),
        mad: Number.isNaN(row.mad) ? '—' : String(round(row.mad, 4)),
      }),
      chartTitle: text('Sellers by excess of round values', '반올림 값 초과 상위 판매자', 'Vendeurs par excès de valeurs rondes'),
      entityLabel: labels.seller_key,
    });
    // The digit chart: the period's first digits against Benford's law.
    const observed = new Array<number>(9).fill(0);
    for (const line of lines) {
      const digit = firstDigit(num(line.value_krw));
      if (digit > 0) observed[digit - 1]!++;
    }
    const total = observed.reduce((a, b) => a + b, 0) || 1;
    result.chart = {
      kind: 'bar',
      title: text('First digits of declared values (KRW) against Benford', '신고가격(원) 첫 자리 숫자와 벤포드 분포', 'Premiers chiffres des valeurs déclarées (KRW) contre Benford'),
      x: { key: 'digit', label: text('First digit', '첫 자리', 'Premier chiffre') },
      y: { key: 'share', label: labels.share },
      points: observed.flatMap((count, index) => [
        { x: index + 1, y: round(count / total, 4), series: 'observed' },
        { x: index + 1, y: round(benford[index]!, 4), series: 'Benford' },
      ]),
    };
    result.summary = say(
      text(
        '{sellers} sellers with at least {minLines} lines; {flagged} above the cut-off',
        '품목 {minLines}건 이상 판매자 {sellers}명; 기준 초과 {flagged}명',
        '{sellers} vendeurs d’au moins {minLines} lignes ; {flagged} au-dessus du seuil',
      ),
      { sellers: sellers.length, minLines, flagged: result.entities.length },
    );
    return result;
  },
};
