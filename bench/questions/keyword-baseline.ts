import type { StructuredQuery } from '../../src/modules/questions/domain/structured-query.js';

/**
 * The baseline the parser is measured against: keyword matching as a first version would do it. Exact
 * words only (no typo tolerance, no Korean particle or spacing handling, no accent folding beyond lower
 * case), one measure from a keyword list, a country from a short list, "by X" / "X별" / "par X" for one
 * grouping, a four-digit year as the only period, and a refusal when a deletion verb appears.
 */
export type BaselineOutcome =
  { status: 'answered'; query: StructuredQuery } | { status: 'refused' } | { status: 'clarify' };

const countries: Record<string, string> = {
  china: 'CN', chine: 'CN', 중국: 'CN', japan: 'JP', japon: 'JP', 일본: 'JP', 'united states': 'US', 'états-unis': 'US',
  미국: 'US', us: 'US', vietnam: 'VN', 베트남: 'VN', korea: 'KR', 한국: 'KR',
}; // prettier-ignore
const groupWords: Record<string, StructuredQuery['groupBy'][number]> = {
  country: 'origin', origin: 'origin', pays: 'origin', origine: 'origin', 원산지: 'origin', 국가: 'origin',
  carrier: 'carrier', transporteur: 'carrier', 운송사: 'carrier', office: 'office', bureau: 'office', 세관: 'office',
  seller: 'seller', vendeur: 'seller', 판매자: 'seller', lane: 'lane', circuit: 'lane', month: 'month', mois: 'month', 월: 'month',
  day: 'day', jour: 'day', 일: 'day', channel: 'channel', canal: 'channel',
}; // prettier-ignore

export function keywordBaseline(question: string): BaselineOutcome {
  const text = question.toLowerCase();
  const words = text.split(/[\s?!.,']+/).filter(Boolean);
  const has = (...keys: string[]) =>
    keys.some((key) => words.includes(key) || (/[가-힣]/.test(key) && text.includes(key)));
  if (has('delete', 'drop', 'supprime', '삭제')) return { status: 'refused' };
  if (has('pccc', 'address', 'adresse', '주소')) return { status: 'refused' };

  const declarations = has(
    'declaration',
    'declarations',
    'déclarations',
    'déclaration',
    '신고',
    'fraud',
    'fraude',
    '부정',
  );
  const query: StructuredQuery = {
    subject: declarations ? 'declarations' : 'parcels',
    measure: { aggregate: 'count' },
    groupBy: [],
    filters: [],
    amounts: [],
  };
  if (has('rate', 'taux', '부정률', '비율')) {
    query.measure = declarations
      ? { aggregate: 'rate', condition: { flag: 'fraud', value: true } }
      : { aggregate: 'rate', condition: { flag: 'held', value: true } };
  } else if (has('average', 'moyenne', '평균')) query.measure = { aggregate: 'average', field: 'value_krw' };
  else if (has('duty', 'droits', '관세')) query.measure = { aggregate: 'sum', field: 'duty_krw' };
  else if (has('value', 'valeur', '신고가격', '금액'))
    query.measure = { aggregate: 'sum', field: 'value_krw' };

  for (const [name, code] of Object.entries(countries)) {
    if (text.includes(name)) {
      query.filters.push({ dimension: 'origin', values: [code], negate: false });
      break;
    }
  }
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const next = words[index + 1];
    if ((word === 'by' || word === 'per' || word === 'par') && next && groupWords[next]) {
      query.groupBy = [groupWords[next]!];
      break;
    }
    const korean = /^(.+)별$/.exec(word);
    if (korean && groupWords[korean[1]!]) {
      query.groupBy = [groupWords[korean[1]!]!];
      break;
    }
  }
  const year = /\b(20\d{2})\b/.exec(text);
  if (year) query.period = { from: `${year[1]}-01-01`, to: `${year[1]}-12-31` };
  return { status: 'answered', query };
}
