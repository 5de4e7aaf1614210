import { countryName, hsChapterNames } from './glossary.js';
import {
  dimensions,
  fields,
  flags,
  isTimeGrain,
  subjectLabels,
  type Language,
  type Unit,
} from './semantic-model.js';
import type { AnswerColumn } from './sql-compiler.js';
import type { Condition, Measure, Period, StructuredQuery } from './structured-query.js';

/**
 * How an answer is shown to people: the restatement of what was understood, in the asker's language;
 * column labels; numbers and dates formatted per language; and a chart chosen from the result's shape.
 */
const locales: Record<Language, string> = { ko: 'ko-KR', en: 'en-GB', fr: 'fr-FR' };

const words = {
  count: { ko: '건수', en: 'number', fr: 'nombre' },
  sum: { ko: '합계', en: 'total', fr: 'total' },
  average: { ko: '평균', en: 'average', fr: 'moyenne' },
  rate: { ko: '비율', en: 'rate', fr: 'taux' },
  share: { ko: '비중', en: 'share', fr: 'part' },
  of: { ko: '', en: 'of', fr: 'des' },
  where: { ko: '조건', en: 'where', fr: 'où' },
  not: { ko: '아님', en: 'not', fr: 'pas' },
  by: { ko: '기준', en: 'by', fr: 'par' },
  period: { ko: '기간', en: 'period', fr: 'période' },
  allTime: { ko: '전체 기간', en: 'all dates', fr: 'toutes dates' },
  compared: { ko: '비교 기간', en: 'compared with', fr: 'comparé à' },
  top: { ko: '상위', en: 'top', fr: 'les' },
  bottom: { ko: '하위', en: 'bottom', fr: 'les derniers' },
  previous: { ko: '비교 기간', en: 'previous', fr: 'précédent' },
  change: { ko: '증감률(%)', en: 'change (%)', fr: 'variation (%)' },
  rows: { ko: '건', en: 'rows', fr: 'lignes' },
} satisfies Record<string, Record<Language, string>>;

export function measureLabel(measure: Measure, language: Language): string {
  switch (measure.aggregate) {
    case 'count':
      return words.count[language];
    case 'share':
      return `${words.share[language]} (%)`;
    case 'rate':
      return `${measure.condition ? conditionLabel(measure.condition, language) : ''} ${words.rate[language]} (%)`.trim();
    case 'sum':
    case 'average': {
      const field = fields[measure.field ?? 'value_krw'];
      const aggregate = measure.aggregate === 'sum' ? words.sum[language] : words.average[language];
      return language === 'en' ? `${aggregate} ${field.labels.en}` : `${field.labels[language]} ${aggregate}`;
    }
  }
}

export function conditionLabel(condition: Condition, language: Language): string {
  if ('flag' in condition) {
    const label = flags[condition.flag].labels[language];
    return condition.value ? label : `${words.not[language]} ${label}`;
  }
  const values = condition.values.map((value) => valueLabel(condition.dimension, value, language)).join(', ');
  const label = `${dimensions[condition.dimension].labels[language]} = ${values}`;
  return condition.negate ? `${dimensions[condition.dimension].labels[language]} ≠ ${values}` : label;
}

/** A dimension's value as people name it: a country's name, an HS chapter with its name. */
export function valueLabel(dimension: string, value: unknown, language: Language): string {
  if (value === null || value === undefined) return '—';
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  if ((dimension === 'origin' || dimension === 'departure') && /^[A-Z]{2}$/.test(text)) {
    return `${countryName(text, language)} (${text})`;
  }
  if (dimension === 'hs_chapter' && hsChapterNames[text]) return `${text} ${hsChapterNames[text]![language]}`;
  if (dimension === 'weekday') {
    const day = new Date(Date.UTC(2024, 0, Number(text))); // 2024-01-01 was a Monday
    return new Intl.DateTimeFormat(locales[language], { weekday: 'long', timeZone: 'UTC' }).format(day);
  }
  return text;
}

export function periodLabel(period: Period, language: Language): string {
  const format = new Intl.DateTimeFormat(locales[language], { dateStyle: 'medium', timeZone: 'UTC' });
  const from = format.format(new Date(`${period.from}T00:00:00Z`));
  if (period.from === period.to) return from;
  return `${from} – ${format.format(new Date(`${period.to}T00:00:00Z`))}`;
}

/** The question as the system read it, in the asker's language: measure, subject, filters, grouping, period. */
export function describeQuery(query: StructuredQuery, language: Language): string {
  const parts: string[] = [];
  const subject = subjectLabels[query.subject][language];
  parts.push(
    language === 'ko'
      ? `${subject} ${measureLabel(query.measure, language)}`
      : `${measureLabel(query.measure, language)} ${words.of[language]} ${subject}`,
  );
  const conditions = query.filters.map((condition) => conditionLabel(condition, language));
  for (const amount of query.amounts) {
    conditions.push(
      `${fields[amount.field].labels[language]} ${amount.op} ${formatNumber(amount.amount, fields[amount.field].unit, language)}`,
    );
  }
  if (conditions.length > 0) parts.push(`${words.where[language]}: ${conditions.join('; ')}`);
  if (query.groupBy.length > 0) {
    parts.push(
      `${words.by[language]}: ${query.groupBy.map((dimension) => dimensions[dimension].labels[language]).join(', ')}`,
    );
  }
  if (query.limit !== undefined && query.order) {
    parts.push(`${query.order === 'asc' ? words.bottom[language] : words.top[language]} ${query.limit}`);
  }
  parts.push(
    `${words.period[language]}: ${query.period ? periodLabel(query.period, language) : words.allTime[language]}`,
  );
  if (query.comparePeriod)
    parts.push(`${words.compared[language]}: ${periodLabel(query.comparePeriod, language)}`);
  return parts.join(' · ');
}

export function columnLabel(column: AnswerColumn, query: StructuredQuery, language: Language): string {
  if (column.role === 'dimension' && column.dimension) return dimensions[column.dimension].labels[language];
  if (column.role === 'change') return words.change[language];
  const measure = measureLabel(query.measure, language);
  if (column.role === 'previous' && query.comparePeriod)
    return `${measure} (${periodLabel(query.comparePeriod, language)})`;
  if (query.comparePeriod && query.period) return `${measure} (${periodLabel(query.period, language)})`;
  return measure;
}

export function formatNumber(value: number, unit: Unit | 'count' | undefined, language: Language): string {
  const locale = locales[language];
  switch (unit) {
    case 'KRW':
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: 'KRW',
        maximumFractionDigits: 0,
      }).format(value);
    case 'USD':
      return new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(value);
    case 'percent':
      return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)} %`;
    case 'kg':
      return new Intl.NumberFormat(locale, {
        style: 'unit',
        unit: 'kilogram',
        maximumFractionDigits: 1,
      }).format(value);
    default:
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  }
}

/** One cell as text for people (tables, CSV for reading) in the asker's language. */
export function formatCell(value: unknown, column: AnswerColumn, language: Language): string {
  if (value === null || value === undefined) return '—';
  if (column.role === 'dimension') {
    if (column.type === 'date')
      return String(value instanceof Date ? value.toISOString() : value).slice(0, 10);
    return valueLabel(column.dimension ?? '', value, language);
  }
  const number = Number(value);
  return Number.isFinite(number) ? formatNumber(number, column.unit, language) : String(value);
}

export type ChartKind = 'number' | 'line' | 'bar' | 'percent-bar';

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  /** The column on the category or time axis (absent for one number). */
  x?: string;
  /** The columns drawn as values. */
  y: string[];
  /** A second grouping drawn as series (one line or bar per value). */
  series?: string;
  unit?: Unit | 'count';
}

/**
 * The chart that suits the result's shape: one number as a big number, a series over time as a line,
 * a share or a rate as bars of percentages, a ranking or a comparison as bars.
 */
export function chooseChart(query: StructuredQuery, columns: AnswerColumn[], language: Language): ChartSpec {
  const title = describeQuery(query, language);
  const measure = columns.find((column) => column.role === 'measure')!;
  const values = columns
    .filter((column) => column.role === 'measure' || column.role === 'previous')
    .map((c) => c.name);
  const groups = columns.filter((column) => column.role === 'dimension');
  const percent = query.measure.aggregate === 'share' || query.measure.aggregate === 'rate';
  if (groups.length === 0) {
    return query.comparePeriod
      ? { kind: 'bar', title, y: values, unit: measure.unit }
      : { kind: 'number', title, y: [measure.name], unit: measure.unit };
  }
  const first = groups[0]!;
  const series = groups[1]?.name;
  const timeSeries =
    first.dimension !== undefined &&
    isTimeGrain(first.dimension) &&
    first.dimension !== 'weekday' &&
    query.order === undefined;
  const kind: ChartKind = timeSeries ? 'line' : percent ? 'percent-bar' : 'bar';
  return { kind, title, x: first.name, y: values, ...(series ? { series } : {}), unit: measure.unit };
}

/** The words of a status message (clarify and refuse) in each language. */
export const messages = {
  answered: {
    ko: (rows: number) => `${rows}건의 결과`,
    en: (rows: number) => `${rows} row${rows === 1 ? '' : 's'}`,
    fr: (rows: number) => `${rows} ligne${rows > 1 ? 's' : ''}`,
  },
  truncated: {
    ko: (cap: number) => `결과가 많아 처음 ${cap}건만 표시합니다.`,
    en: (cap: number) => `Only the first ${cap} rows are shown.`,
    fr: (cap: number) => `Seules les ${cap} premières lignes sont affichées.`,
  },
  clarify: {
    period: {
      ko: '어느 기간을 말씀하시나요? 아래에서 고르거나 기간을 적어 주세요.',
      en: 'Which period do you mean? Pick one below or name the period.',
      fr: 'Quelle période ? Choisissez ci-dessous ou précisez la période.',
    },
    measure: {
      ko: '무엇을 셀까요? 건수, 신고가격, 보류율, 부정률 중에서 골라 주세요.',
      en: 'What should be measured? Pick the number, the declared value, the hold rate or the fraud rate.',
      fr: 'Que faut-il mesurer ? Choisissez le nombre, la valeur déclarée, le taux de retenue ou le taux de fraude.',
    },
    subject: {
      ko: '물품(소포)과 수입신고 중 무엇을 물으시나요?',
      en: 'Do you mean parcels or declarations?',
      fr: 'Parlez-vous des colis ou des déclarations ?',
    },
    currency: {
      ko: '금액은 달러(USD) 또는 원(KRW)으로 적어 주세요.',
      en: 'Please give amounts in US dollars (USD) or won (KRW).',
      fr: 'Indiquez les montants en dollars (USD) ou en wons (KRW).',
    },
  },
  refused: {
    change: {
      ko: '질문 상자는 데이터를 조회만 합니다. 데이터를 바꾸거나 지우는 요청은 처리할 수 없습니다.',
      en: 'The question box only reads data; it cannot change or delete anything.',
      fr: 'La boîte à questions ne fait que lire les données ; elle ne peut rien modifier ni supprimer.',
    },
    personal: {
      ko: '개인정보(개인통관고유부호, 이름, 주소, 연락처)는 질문으로 조회할 수 없습니다.',
      en: 'Personal data (PCCC, names, addresses, phone numbers) cannot be listed through questions.',
      fr: 'Les données personnelles (PCCC, noms, adresses, téléphones) ne peuvent pas être listées par des questions.',
    },
    out_of_scope: {
      ko: '통관 물품과 수입신고에 관한 질문만 답할 수 있습니다.',
      en: 'I can only answer questions about parcels and import declarations.',
      fr: 'Je ne peux répondre qu’aux questions sur les colis et les déclarations d’importation.',
    },
    not_available: {
      ko: '요청한 항목은 이 데이터에 기록되어 있지 않습니다: ',
      en: 'This data does not record what was asked: ',
      fr: 'Ces données ne contiennent pas ce qui est demandé : ',
    },
    unsafe: {
      ko: '생성된 조회문이 안전 검사를 통과하지 못했습니다.',
      en: 'The generated query did not pass the safety check.',
      fr: 'La requête générée n’a pas passé le contrôle de sécurité.',
    },
    timeout: {
      ko: '조회 시간이 너무 오래 걸려 중단했습니다. 기간이나 조건을 좁혀 주세요.',
      en: 'The query took too long and was stopped; narrow the period or the filters.',
      fr: 'La requête a pris trop de temps et a été arrêtée ; réduisez la période ou les filtres.',
    },
  },
} as const;
