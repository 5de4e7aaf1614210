import { describe, expect, it } from 'vitest';
import { parseQuestion } from './question-parser.js';
import { scanPeriods } from './periods.js';
import { compileQuery } from './sql-compiler.js';
import { detectLanguage } from './text.js';

const AS_OF = '2026-11-29'; // a Sunday
const read = (question: string) =>
  parseQuestion(question, { asOf: AS_OF, language: detectLanguage(question) });
const query = (question: string) => {
  const outcome = read(question);
  if (outcome.status !== 'answered') throw new Error(`${question}: ${outcome.status}`);
  return outcome.query;
};

describe('question parser', () => {
  it('reads the same question alike in Korean, English and French', () => {
    const expected = {
      subject: 'parcels',
      measure: { aggregate: 'count' },
      filters: [
        { dimension: 'origin', values: ['CN'], negate: false },
        { flag: 'held', value: true },
      ],
      period: { from: '2026-11-16', to: '2026-11-22' },
    };
    expect(query('how many parcels from China were held last week?')).toMatchObject(expected);
    expect(query('지난주 중국발 보류 물품은 몇 건?')).toMatchObject(expected);
    expect(query('combien de colis de Chine ont été retenus la semaine dernière ?')).toMatchObject(expected);
  });

  it('forgives typos, Korean spacing and particles, and missing accents', () => {
    expect(query('numbr of parcles from Chian last weak')).toMatchObject({
      filters: [{ dimension: 'origin', values: ['CN'] }],
      period: { from: '2026-11-16', to: '2026-11-22' },
    });
    expect(query('지난 달 미국 발 특송 물품 의 평균 신고 가격')).toMatchObject({
      measure: { aggregate: 'average', field: 'value_krw' },
      filters: [
        { dimension: 'origin', values: ['US'] },
        { dimension: 'channel', values: ['express'] },
      ],
      period: { from: '2026-10-01', to: '2026-10-31' },
    });
    expect(query('taux de fraude par bureau en 2020')).toMatchObject({
      subject: 'declarations',
      measure: { aggregate: 'rate', condition: { flag: 'fraud' } },
      groupBy: ['office'],
    });
  });

  it('understands rankings, units and currencies, negations and comparisons', () => {
    expect(query('quels vendeurs ont le plus de fraudes en 2020 ?')).toMatchObject({
      groupBy: ['seller'],
      filters: [{ flag: 'fraud', value: true }],
      order: 'desc',
      limit: 10,
    });
    expect(query('2021년 1분기 신고 건수 상위 5개 원산지')).toMatchObject({ groupBy: ['origin'], limit: 5 });
    expect(query('parcels over $150 by carrier').amounts).toEqual([
      { field: 'value_usd', op: '>', amount: 150 },
    ]);
    expect(query('100만원 이상 신고건 수').amounts).toEqual([
      { field: 'value_krw', op: '>=', amount: 1_000_000 },
    ]);
    expect(query('중국산 제외 화장품 몇 건?').filters).toEqual([
      { dimension: 'origin', values: ['CN'], negate: true },
      { dimension: 'hs_chapter', values: ['33'], negate: false },
    ]);
    expect(query('작년 대비 올해 압수 건수')).toMatchObject({
      period: { from: '2026-01-01', to: AS_OF },
      comparePeriod: { from: '2025-01-01', to: '2025-12-31' },
    });
  });

  it('refuses changes, personal data and questions outside its data; asks back when it must', () => {
    expect(read('delete all parcels from China')).toEqual({ status: 'refused', reason: 'change' });
    expect(read('판매자 감시목록에 추가해')).toEqual({ status: 'refused', reason: 'change' });
    expect(read("list every buyer's PCCC and address")).toEqual({ status: 'refused', reason: 'personal' });
    expect(read('noms des acheteurs des colis retenus')).toEqual({ status: 'refused', reason: 'personal' });
    expect(read('내일 서울 날씨 어때')).toEqual({ status: 'refused', reason: 'out_of_scope' });
    expect(read('recent fraud rate')).toMatchObject({ status: 'clarify', about: 'period' });
    expect(read('China last month?')).toMatchObject({ status: 'clarify', about: 'measure' });
  });
});

describe('periods', () => {
  const period = (text: string) => scanPeriods(text, AS_OF).mentions.map((mention) => mention.period);
  it('resolves relative, calendar and ranged periods against the day of the question', () => {
    expect(period('the first week of march 2020')).toEqual([{ from: '2020-03-01', to: '2020-03-07' }]);
    expect(period('2020년 상반기')).toEqual([{ from: '2020-01-01', to: '2020-06-30' }]);
    expect(period('entre janvier et mars 2021')).toEqual([{ from: '2021-01-01', to: '2021-03-31' }]);
    expect(period('1월부터 3월까지')).toEqual([{ from: '2026-01-01', to: '2026-03-31' }]);
    expect(period('last quarter')).toEqual([{ from: '2026-07-01', to: '2026-09-30' }]);
    expect(period('les 30 derniers jours')).toEqual([{ from: '2026-10-31', to: AS_OF }]);
    expect(period('12월')).toEqual([{ from: '2025-12-01', to: '2025-12-31' }]);
  });
});

describe('SQL compiler', () => {
  it("writes one SELECT over the published views, with the asker's restrictions and quoted values", () => {
    const compiled = compileQuery(
      {
        subject: 'parcels',
        measure: { aggregate: 'count' },
        groupBy: ['lane'],
        filters: [{ dimension: 'seller', values: ["O'Brien"], negate: false }],
        amounts: [],
      },
      [{ dimension: 'carrier', values: ['DHL'], negate: false }],
    );
    expect(compiled.sql).toContain("p.carrier_code::text in ('DHL')");
    expect(compiled.sql).toContain("in ('O''Brien')");
    expect(compiled.sql).not.toMatch(/intake_parcel |clearance_parcel |targeting_parcel_state/);
    expect(compiled.columns.map((column) => column.name)).toEqual(['lane', 'count']);
  });
});
