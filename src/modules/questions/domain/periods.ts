import type { Period } from './structured-query.js';

/**
 * Date words in Korean, English and French, resolved against `asOf` (the day "today" refers to):
 * relative periods (지난주, last quarter, le mois dernier, the last 30 days), calendar periods (2020년
 * 상반기, Q1 2021, mars 2020, the first week of March), single days, and ranges built from two of them
 * (between January and March, 1월부터 3월까지, entre janvier et mars). Works on normalised text.
 */
export interface PeriodMention {
  period: Period;
  start: number;
  end: number;
}

export interface PeriodScan {
  mentions: PeriodMention[];
  /** A time word without a span ("recently", 최근, récemment): the asker must say which period. */
  vague: boolean;
  /** The text with every period replaced by spaces, for the rest of the parser. */
  rest: string;
}

const monthWords: Record<string, number> = {
  january: 1, jan: 1, janvier: 1, janv: 1,
  february: 2, feb: 2, fevrier: 2, fevr: 2, fev: 2,
  march: 3, mars: 3, mar: 3,
  april: 4, apr: 4, avril: 4, avr: 4,
  may: 5, mai: 5,
  june: 6, jun: 6, juin: 6,
  july: 7, jul: 7, juillet: 7, juil: 7,
  august: 8, aug: 8, aout: 8,
  september: 9, sep: 9, sept: 9, septembre: 9,
  october: 10, oct: 10, octobre: 10,
  november: 11, nov: 11, novembre: 11,
  december: 12, dec: 12, decembre: 12,
}; // prettier-ignore
const MONTH = `(${Object.keys(monthWords)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

const ordinalWords: Record<string, number> = {
  first: 1, '1st': 1, premier: 1, premiere: 1, '1er': 1, '1re': 1, '1ere': 1, 첫째: 1, 첫: 1, 첫번째: 1, 1: 1,
  second: 2, '2nd': 2, deuxieme: 2, '2e': 2, '2eme': 2, seconde: 2, 둘째: 2, 두번째: 2, 2: 2,
  third: 3, '3rd': 3, troisieme: 3, '3e': 3, '3eme': 3, 셋째: 3, 세번째: 3, 3: 3,
  fourth: 4, '4th': 4, quatrieme: 4, '4e': 4, '4eme': 4, 넷째: 4, 네번째: 4, 4: 4,
  last: 5, derniere: 5, dernier: 5, 마지막: 5,
}; // prettier-ignore
const ORDINAL = `(${Object.keys(ordinalWords)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

// ---- calendar arithmetic on ISO dates (UTC) ----
const DAY_MS = 86_400_000;
function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}
function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}
export function addDays(day: string, days: number): string {
  return iso(new Date(toDate(day).getTime() + days * DAY_MS));
}
function ymd(year: number, month: number, day: number): string {
  return iso(new Date(Date.UTC(year, month - 1, day)));
}
function monthEnd(year: number, month: number): string {
  return iso(new Date(Date.UTC(year, month, 0)));
}
function monthPeriod(year: number, month: number): Period {
  return { from: ymd(year, month, 1), to: monthEnd(year, month) };
}
function monthsPeriod(year: number, firstMonth: number, lastMonth: number): Period {
  return { from: ymd(year, firstMonth, 1), to: monthEnd(year, lastMonth) };
}
function parts(day: string): { year: number; month: number; date: number } {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return { year, month, date };
}
/** The year of the most recent occurrence of a month (or of a span ending in it) not after `asOf`. */
function recentYear(asOf: string, month: number): number {
  const today = parts(asOf);
  return month <= today.month ? today.year : today.year - 1;
}
function mondayOf(day: string): string {
  const weekday = (toDate(day).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}
function shiftMonths(day: string, months: number): string {
  const { year, month, date } = parts(day);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return ymd(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(date, last));
}

/** The period just before one of the same calendar length (for "compared with the previous period"). */
export function previousPeriod(period: Period): Period {
  const from = parts(period.from);
  const to = parts(period.to);
  // Whole months (a month, a quarter, a year) step back by months; anything else by days.
  if (from.date === 1 && period.to === monthEnd(to.year, to.month)) {
    const months = (to.year - from.year) * 12 + (to.month - from.month) + 1;
    const start = shiftMonths(period.from, -months);
    const { year, month } = parts(shiftMonths(period.to.slice(0, 8) + '01', -months));
    return { from: start, to: monthEnd(year, month) };
  }
  const length = Math.round((toDate(period.to).getTime() - toDate(period.from).getTime()) / DAY_MS) + 1;
  return { from: addDays(period.from, -length), to: addDays(period.to, -length) };
}

/** The same period one year earlier ("compared with last year" after a period that is not a year). */
export function samePeriodLastYear(period: Period): Period {
  return { from: shiftMonths(period.from, -12), to: shiftMonths(period.to, -12) };
}

type Resolver = (match: RegExpExecArray, asOf: string) => Period | undefined;

const unitDays: Record<string, 'day' | 'week' | 'month' | 'year'> = {
  day: 'day', days: 'day', jour: 'day', jours: 'day', 일: 'day', 일간: 'day',
  week: 'week', weeks: 'week', semaine: 'week', semaines: 'week', 주: 'week', 주간: 'week', 주일: 'week',
  month: 'month', months: 'month', mois: 'month', 개월: 'month', 달: 'month', 달간: 'month',
  year: 'year', years: 'year', an: 'year', ans: 'year', annee: 'year', annees: 'year', 년: 'year', 년간: 'year',
}; // prettier-ignore

function lastN(count: number, unit: string, asOf: string): Period | undefined {
  if (!Number.isInteger(count) || count < 1 || count > 3650) return undefined;
  switch (unitDays[unit]) {
    case 'day':
      return { from: addDays(asOf, -(count - 1)), to: asOf };
    case 'week':
      return { from: addDays(asOf, -(7 * count - 1)), to: asOf };
    case 'month':
      return { from: addDays(shiftMonths(asOf, -count), 1), to: asOf };
    case 'year':
      return { from: addDays(shiftMonths(asOf, -12 * count), 1), to: asOf };
    default:
      return undefined;
  }
}

function weekOfMonth(ordinal: number, year: number, month: number): Period {
  const end = monthEnd(year, month);
  if (ordinal === 5) return { from: addDays(end, -6), to: end };
  const from = ymd(year, month, 7 * (ordinal - 1) + 1);
  const to = addDays(from, 6) > end ? end : addDays(from, 6);
  return { from, to };
}

function quarterPeriod(year: number, quarter: number): Period {
  return monthsPeriod(year, 3 * quarter - 2, 3 * quarter);
}
function recentQuarterYear(asOf: string, quarter: number): number {
  return recentYear(asOf, 3 * quarter - 2);
}
function year(value: string | undefined, fallback: number): number {
  return value ? Number(value) : fallback;
}
const halfWords: Record<string, 1 | 2> = {
  상반기: 1, 하반기: 2, first: 1, '1st': 1, second: 2, '2nd': 2, premier: 1, '1er': 1, second_: 2, deuxieme: 2, '2e': 2, seconde: 2, h1: 1, h2: 2,
}; // prettier-ignore
function halfPeriod(yearValue: number, half: 1 | 2): Period {
  return half === 1 ? monthsPeriod(yearValue, 1, 6) : monthsPeriod(yearValue, 7, 12);
}

/** Rules in priority order: the first rule to claim a span of text wins it. */
const rules: { pattern: RegExp; resolve: Resolver }[] = [
  // 2020-03-15
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/g, resolve: (m) => day(Number(m[1]), Number(m[2]), Number(m[3])) },
  // 2020년 3월 15일, 3월 15일
  {
    pattern: /(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(\d{1,2})\s*일/g,
    resolve: (m, asOf) => day(year(m[1], recentYear(asOf, Number(m[2]))), Number(m[2]), Number(m[3])),
  },
  // March 15 2020, March 15th
  {
    pattern: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:\\s*(\\d{4})\\b)?`, 'g'),
    resolve: (m, asOf) => dayFromMonthWord(m[1]!, Number(m[2]), m[3], asOf),
  },
  // 15 mars 2020, 15 March
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:er)?\\s+${MONTH}\\b(?:\\s*(\\d{4})\\b)?`, 'g'),
    resolve: (m, asOf) => dayFromMonthWord(m[2]!, Number(m[1]), m[3], asOf),
  },
  // the first week of March (2020), la première semaine de mars
  {
    pattern: new RegExp(
      `\\b${ORDINAL}\\s+(?:week|semaine)\\s+(?:of|de|d|du mois de)\\s+${MONTH}\\b(?:\\s*(\\d{4})\\b)?`,
      'g',
    ),
    resolve: (m, asOf) => {
      const month = monthWords[m[2]!]!;
      return weekOfMonth(ordinalWords[m[1]!]!, year(m[3], recentYear(asOf, month)), month);
    },
  },
  // 3월 첫째 주, 2020년 3월 마지막 주
  {
    pattern:
      /(?:(\d{4})\s*년\s*)?(\d{1,2})\s*월\s*(?:의\s*)?(첫째|첫번째|첫|둘째|두번째|셋째|세번째|넷째|네번째|마지막|[1-4])\s*(?:번째\s*)?주/g,
    resolve: (m, asOf) => {
      const month = Number(m[2]);
      return weekOfMonth(ordinalWords[m[3]!]!, year(m[1], recentYear(asOf, month)), month);
    },
  },
  // 2020년 상반기, 상반기
  {
    pattern: /(?:(\d{4})\s*년?\s*)?(상반기|하반기)/g,
    resolve: (m, asOf) => {
      const half = halfWords[m[2]!]!;
      return halfPeriod(year(m[1], recentYear(asOf, half === 1 ? 1 : 7)), half);
    },
  },
  // the first half of 2020, H1 2020, premier semestre 2020
  {
    pattern:
      /\b(?:the\s+)?(first|1st|second|2nd|premier|1er|deuxieme|2e|seconde?)\s+(?:half|semestre)\b(?:\s+(?:of|de|d)?\s*(\d{4})\b)?/g,
    resolve: (m, asOf) => {
      const half = ordinalWords[m[1]!] === 1 ? 1 : 2;
      return halfPeriod(year(m[2], recentYear(asOf, half === 1 ? 1 : 7)), half);
    },
  },
  {
    pattern: /\b(h[12])\s*(\d{4})\b|\b(\d{4})\s*(h[12])\b/g,
    resolve: (m) => halfPeriod(Number(m[2] ?? m[3]), halfWords[(m[1] ?? m[4])!]!),
  },
  // 2021년 1분기, 1분기, Q1 2021, 2021 Q1, the first quarter of 2021, premier trimestre 2021
  {
    pattern: /(?:(\d{4})\s*년?\s*)?([1-4])\s*분기/g,
    resolve: (m, asOf) => quarterPeriod(year(m[1], recentQuarterYear(asOf, Number(m[2]))), Number(m[2])),
  },
  {
    pattern: /\bq([1-4])\b(?:\s*(?:of\s+|de\s+)?(\d{4})\b)?|\b(\d{4})\s*q([1-4])\b/g,
    resolve: (m, asOf) => {
      const quarter = Number(m[1] ?? m[4]);
      return quarterPeriod(year(m[2] ?? m[3], recentQuarterYear(asOf, quarter)), quarter);
    },
  },
  {
    pattern: new RegExp(
      `\\b(?:the\\s+)?${ORDINAL}\\s+(?:quarter|trimestre)\\b(?:\\s+(?:of|de|d)?\\s*(\\d{4})\\b)?`,
      'g',
    ),
    resolve: (m, asOf) => {
      const quarter = ordinalWords[m[1]!]!;
      if (quarter > 4) return undefined;
      return quarterPeriod(year(m[2], recentQuarterYear(asOf, quarter)), quarter);
    },
  },
  // last 30 days, past 2 weeks, 지난 7일, 최근 3개월, les 30 derniers jours
  {
    pattern: /\b(?:last|past|previous|the last|the past)\s+(\d{1,4})\s+(days?|weeks?|months?|years?)\b/g,
    resolve: (m, asOf) => lastN(Number(m[1]), m[2]!, asOf),
  },
  {
    pattern: /(?:지난|최근|과거)\s*(\d{1,4})\s*(개월|일간|주간|주일|달간|년간|일|주|달|년)/g,
    resolve: (m, asOf) => lastN(Number(m[1]), m[2]!, asOf),
  },
  {
    pattern:
      /\b(\d{1,4})\s+(?:derniers|dernieres|dernier|derniere)\s+(jours|jour|semaines|semaine|mois|annees|ans)\b/g,
    resolve: (m, asOf) => lastN(Number(m[1]), m[2]!, asOf),
  },
  {
    pattern: /\b(?:derniers|dernieres)\s+(\d{1,4})\s+(jours|semaines|mois|annees|ans)\b/g,
    resolve: (m, asOf) => lastN(Number(m[1]), m[2]!, asOf),
  },
  // 2020년 3월, March 2020, mars 2020, in March, 3월
  {
    pattern: /(?:(\d{4})\s*년\s*)(\d{1,2})\s*월/g,
    resolve: (m) => monthIfValid(Number(m[1]), Number(m[2])),
  },
  {
    pattern: new RegExp(`\\b${MONTH}\\b(?:\\s*(?:of\\s+|de\\s+)?(\\d{4})\\b)?`, 'g'),
    resolve: (m, asOf) => {
      // "may" alone is a verb far more often than a month.
      if (m[1] === 'may' && !m[2]) return undefined;
      const month = monthWords[m[1]!]!;
      return monthPeriod(year(m[2], recentYear(asOf, month)), month);
    },
  },
  {
    pattern: /(\d{1,2})\s*월/g,
    resolve: (m, asOf) => monthIfValid(recentYear(asOf, Number(m[1])), Number(m[1])),
  },
  // relative words
  { pattern: /\b(?:today|aujourd hui)\b|오늘/g, resolve: (_m, asOf) => ({ from: asOf, to: asOf }) },
  {
    pattern: /\b(?:yesterday|hier)\b|어제/g,
    resolve: (_m, asOf) => ({ from: addDays(asOf, -1), to: addDays(asOf, -1) }),
  },
  {
    pattern: /\b(?:this week|cette semaine|la semaine en cours)\b|이번\s*주|금주/g,
    resolve: (_m, asOf) => ({ from: mondayOf(asOf), to: asOf }),
  },
  {
    pattern:
      /\b(?:last week|previous week|the week before|la semaine derniere|la semaine passee|semaine derniere)\b|지난\s*주|저번\s*주|전주/g,
    resolve: (_m, asOf) => ({ from: addDays(mondayOf(asOf), -7), to: addDays(mondayOf(asOf), -1) }),
  },
  {
    pattern: /\b(?:this month|ce mois ci|ce mois|le mois en cours|mois en cours)\b|이번\s*달|이달|금월/g,
    resolve: (_m, asOf) => ({ from: `${asOf.slice(0, 8)}01`, to: asOf }),
  },
  {
    pattern:
      /\b(?:last month|previous month|le mois dernier|le mois passe|mois dernier)\b|지난\s*달|저번\s*달|전월|지난\s*월/g,
    resolve: (_m, asOf) => {
      const { year: y, month } = parts(shiftMonths(`${asOf.slice(0, 8)}01`, -1));
      return monthPeriod(y, month);
    },
  },
  {
    pattern: /\b(?:this quarter|ce trimestre|le trimestre en cours)\b|이번\s*분기|금분기/g,
    resolve: (_m, asOf) => {
      const { year: y, month } = parts(asOf);
      return { from: quarterPeriod(y, Math.ceil(month / 3)).from, to: asOf };
    },
  },
  {
    pattern:
      /\b(?:last quarter|previous quarter|le trimestre dernier|le dernier trimestre|trimestre dernier|trimestre precedent)\b|지난\s*분기|전\s*분기|저번\s*분기/g,
    resolve: (_m, asOf) => {
      const { year: y, month } = parts(asOf);
      const quarter = Math.ceil(month / 3);
      return quarter === 1 ? quarterPeriod(y - 1, 4) : quarterPeriod(y, quarter - 1);
    },
  },
  {
    pattern:
      /\b(?:this year|so far this year|year to date|ytd|cette annee|l annee en cours|depuis le debut de l annee)\b|올해|금년|올\s*한\s*해/g,
    resolve: (_m, asOf) => ({ from: `${asOf.slice(0, 4)}-01-01`, to: asOf }),
  },
  {
    pattern:
      /\b(?:last year|previous year|l annee derniere|l an dernier|l annee passee|annee derniere)\b|작년|지난\s*해|지난\s*년도|전년도?|작년도/g,
    resolve: (_m, asOf) => {
      const y = parts(asOf).year - 1;
      return monthsPeriod(y, 1, 12);
    },
  },
  // 2020년, 2020년도, in 2020, en 2020, 2020
  {
    pattern: /\b((?:19|20)\d{2})\s*(?:년도|년)?(?![\d-])/g,
    resolve: (m) => monthsPeriod(Number(m[1]), 1, 12),
  },
];

function day(yearValue: number, month: number, date: number): Period | undefined {
  if (month < 1 || month > 12 || date < 1 || date > Number(monthEnd(yearValue, month).slice(8)))
    return undefined;
  const value = ymd(yearValue, month, date);
  return { from: value, to: value };
}
function dayFromMonthWord(
  word: string,
  date: number,
  yearText: string | undefined,
  asOf: string,
): Period | undefined {
  const month = monthWords[word]!;
  if (word === 'may' && !yearText) return undefined;
  return day(year(yearText, recentYear(asOf, month)), month, date);
}
function monthIfValid(yearValue: number, month: number): Period | undefined {
  return month >= 1 && month <= 12 ? monthPeriod(yearValue, month) : undefined;
}

/** Every Latin word the period rules read, so that the parser's spelling correction can aim at them. */
export const periodVocabulary: readonly string[] = [
  ...Object.keys(monthWords).filter((word) => word.length >= 4),
  ...Object.keys(ordinalWords).filter((word) => /^[a-z]{4,}$/.test(word)),
  ...Object.keys(unitDays).filter((word) => /^[a-z]{3,}$/.test(word)),
  ...'ytd usd krw eur won wons dollar dollars euro euros kilo kilos today yesterday aujourd week month year quarter last this previous past since between trimestre semaine annee dernier derniere derniers dernieres depuis entre hier semestre half recently lately recemment'.split(
    ' ',
  ),
];

const VAGUE =
  /\b(?:recently|lately|recent|these days|recemment|dernierement|ces derniers temps)\b|최근|요즘|근래/;
/** Words that join two periods into one span ("between A and B", "A부터 B까지", "de A a B"). */
const RANGE_JOINER = /^\s*(?:and|to|until|till|through|thru|et|a|au|jusqu a|jusqu au|~|-|–|부터|에서|～)\s*$/;
const RANGE_OPENER = /(?:between|from|entre|de|du|depuis)\s*$/;
const SINCE_BEFORE = /(?:since|depuis|from|a partir de|a partir du)\s+$/;
const SINCE_AFTER = /^\s*(?:이후|부터|以来|onwards|on)(?!\s*\S*\s*까지)/;

export function scanPeriods(text: string, asOf: string): PeriodScan {
  const taken: PeriodMention[] = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
      const start = match.index;
      const end = start + match[0].length;
      if (match[0].trim() === '' || taken.some((other) => start < other.end && other.start < end)) continue;
      const period = rule.resolve(match, asOf);
      if (period) taken.push({ period, start, end });
    }
  }
  taken.sort((a, b) => a.start - b.start);
  const mentions: PeriodMention[] = [];
  for (let index = 0; index < taken.length; index++) {
    const current = taken[index]!;
    const next = taken[index + 1];
    if (next && RANGE_JOINER.test(text.slice(current.end, next.start))) {
      // "between January and March 2021": the first end takes the year the second one names.
      let from = current.period.from;
      if (from > next.period.to) from = `${next.period.to.slice(0, 4)}${from.slice(4)}`;
      if (from > next.period.to) from = `${Number(next.period.to.slice(0, 4)) - 1}${from.slice(4)}`;
      mentions.push({
        period: { from, to: next.period.to },
        start: current.start,
        end: next.end,
      });
      index++;
      continue;
    }
    const before = text.slice(Math.max(0, current.start - 14), current.start);
    const after = text.slice(current.end, current.end + 12);
    if (
      (SINCE_BEFORE.test(before) && !RANGE_OPENER.test(before.replace(SINCE_BEFORE, ''))) ||
      (SINCE_AFTER.test(after) && !/까지/.test(after))
    ) {
      mentions.push({ ...current, period: { from: current.period.from, to: asOf } });
      continue;
    }
    mentions.push(current);
  }
  let rest = text;
  for (const mention of mentions) {
    rest = rest.slice(0, mention.start) + ' '.repeat(mention.end - mention.start) + rest.slice(mention.end);
  }
  const vague = mentions.length === 0 && VAGUE.test(text);
  return { mentions, vague, rest };
}
