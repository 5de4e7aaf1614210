import {
  dimensions,
  fields,
  flags,
  isTimeGrain,
  subjectDateColumn,
  subjectSources,
  type DimensionId,
  type Subject,
  type Unit,
} from './semantic-model.js';
import type { AmountCondition, Condition, Measure, Period, StructuredQuery } from './structured-query.js';

/** A column of an answer: its name in the SQL, its kind, and what the number is counted in. */
export interface AnswerColumn {
  name: string;
  type: 'string' | 'number' | 'date';
  /** What the column holds: a dimension, the measure, or a period of a comparison. */
  role: 'dimension' | 'measure' | 'previous' | 'change';
  dimension?: DimensionId;
  unit?: Unit | 'count';
}

export interface CompiledQuery {
  sql: string;
  columns: AnswerColumn[];
}

/** A part of the question that the chosen subject does not record (e.g. duty on KCS declarations). */
export class NotAvailableError extends Error {
  constructor(
    readonly what: 'dimension' | 'field' | 'flag',
    readonly id: string,
    readonly subject: Subject,
  ) {
    super(`${what} ${id} is not recorded for ${subject}`);
  }
}

/**
 * Turns a structured query into one SELECT over the published analysis views. Every name in the SQL
 * comes from the semantic model; every value the question brought is a quoted literal, so what runs is
 * what the officer is shown. `restrictions` are the asker's access limits (a carrier's own parcels),
 * added to every statement whatever the query says.
 */
export function compileQuery(query: StructuredQuery, restrictions: readonly Condition[] = []): CompiledQuery {
  const { subject } = query;
  const dateColumn = subjectDateColumn[subject];
  const where: string[] = [];
  for (const condition of [...restrictions, ...query.filters]) where.push(conditionSql(condition, subject));
  for (const amount of query.amounts) where.push(amountSql(amount, subject));
  const periods = query.comparePeriod ? [query.period, query.comparePeriod] : [query.period];
  const periodConditions = periods.map((period) => period && periodSql(period, dateColumn));
  if (query.comparePeriod) {
    where.push(`(${periodConditions.filter(Boolean).join(' or ')})`);
  } else if (periodConditions[0]) {
    where.push(periodConditions[0]);
  }

  // A ranking names the leaders: rows whose grouping is unknown (no seller recorded) are not one of them.
  if (query.order) {
    for (const dimension of query.groupBy) {
      where.push(`${columnOf(dimensions[dimension], dimension, 'dimension', subject)} is not null`);
    }
  }
  const select: string[] = [];
  const columns: AnswerColumn[] = [];
  for (const dimension of query.groupBy) {
    const type =
      isTimeGrain(dimension) && dimension !== 'weekday'
        ? 'date'
        : dimension === 'weekday'
          ? 'number'
          : 'string';
    const column = columnOf(dimensions[dimension], dimension, 'dimension', subject);
    // Dates leave the database as text (YYYY-MM-DD): no driver's time zone can shift them.
    select.push(`${column}${type === 'date' ? '::text' : ''} as ${dimension}`);
    columns.push({ name: dimension, role: 'dimension', dimension, type });
  }
  const measureName = measureColumnName(query.measure);
  const unit = measureUnit(query.measure);
  if (query.comparePeriod && query.period) {
    const current = measureSql(query.measure, subject, periodConditions[0]!);
    const previous = measureSql(query.measure, subject, periodConditions[1]!);
    select.push(`${current} as ${measureName}`, `${previous} as previous_${measureName}`);
    select.push(`round(100.0 * (${current} - ${previous}) / nullif(${previous}, 0), 1) as change_percent`);
    columns.push(
      { name: measureName, role: 'measure', type: 'number', unit },
      { name: `previous_${measureName}`, role: 'previous', type: 'number', unit },
      { name: 'change_percent', role: 'change', type: 'number', unit: 'percent' },
    );
  } else {
    select.push(`${measureSql(query.measure, subject)} as ${measureName}`);
    columns.push({ name: measureName, role: 'measure', type: 'number', unit });
  }

  const lines = [`select ${select.join(', ')}`, `from ${subjectSources[subject]}`];
  if (where.length > 0) lines.push(`where ${where.join(' and ')}`);
  if (query.groupBy.length > 0) {
    lines.push(`group by ${query.groupBy.map((_, index) => index + 1).join(', ')}`);
  }
  const order = orderSql(query, measureName);
  if (order) lines.push(order);
  if (query.limit !== undefined) lines.push(`limit ${query.limit}`);
  return { sql: lines.join('\n'), columns };
}

function orderSql(query: StructuredQuery, measureName: string): string | undefined {
  if (query.groupBy.length === 0) return undefined;
  const timeFirst = isTimeGrain(query.groupBy[0]!);
  if (query.order) return `order by ${measureName} ${query.order} nulls last, 1`;
  if (timeFirst) return `order by ${query.groupBy.map((_, index) => index + 1).join(', ')}`;
  return `order by ${measureName} desc nulls last, 1`;
}

export function measureColumnName(measure: Measure): string {
  switch (measure.aggregate) {
    case 'count':
      return 'count';
    case 'share':
      return 'share_percent';
    case 'rate':
      return `${measure.condition ? conditionName(measure.condition) : 'rows'}_rate_percent`;
    case 'sum':
      return `total_${measure.field ?? 'value_krw'}`;
    case 'average':
      return `average_${measure.field ?? 'value_krw'}`;
  }
}

function conditionName(condition: Condition): string {
  if ('flag' in condition) return condition.value ? condition.flag : `not_${condition.flag}`;
  return `${condition.dimension}_${condition.values
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '')}`;
}

export function measureUnit(measure: Measure): Unit | 'count' {
  if (measure.aggregate === 'count') return 'count';
  if (measure.aggregate === 'rate' || measure.aggregate === 'share') return 'percent';
  return fields[measure.field ?? 'value_krw'].unit;
}

/** The aggregate, counted over all rows or only over those meeting `within` (one period of a comparison). */
function measureSql(measure: Measure, subject: Subject, within?: string): string {
  const only = (extra?: string) => {
    const parts = [within, extra].filter(Boolean);
    return parts.length > 0 ? ` filter (where ${parts.join(' and ')})` : '';
  };
  switch (measure.aggregate) {
    case 'count':
      return `count(*)${only()}`;
    case 'share':
      return `round(100.0 * count(*)${only()} / nullif(sum(count(*)${only()}) over (), 0), 2)`;
    case 'sum':
    case 'average': {
      const field = measure.field ?? 'value_krw';
      const column = columnOf(fields[field], field, 'field', subject);
      return measure.aggregate === 'sum'
        ? `coalesce(sum(${column})${only()}, 0)`
        : `round(avg(${column})${only()}::numeric, 2)`;
    }
    case 'rate': {
      const condition = measure.condition ?? { flag: 'held', value: true };
      // Fraud is known only for inspected declarations: the rate is among those, not among all.
      const outcome =
        'flag' in condition && (condition.flag === 'fraud' || condition.flag === 'critical_fraud');
      const denominator = outcome ? columnOf(flags.inspected, 'inspected', 'flag', subject) : undefined;
      return `round(100.0 * count(*)${only(conditionSql(condition, subject))} / nullif(count(*)${only(denominator)}, 0), 2)`;
    }
  }
}

function columnOf(
  definition: { columns: Partial<Record<Subject, string>> },
  id: string,
  what: 'dimension' | 'field' | 'flag',
  subject: Subject,
): string {
  const column = definition.columns[subject];
  if (column === undefined) throw new NotAvailableError(what, id, subject);
  return column;
}

export function conditionSql(condition: Condition, subject: Subject): string {
  if ('flag' in condition) {
    const column = columnOf(flags[condition.flag], condition.flag, 'flag', subject);
    return condition.value ? `coalesce(${column}, false)` : `not coalesce(${column}, false)`;
  }
  const column = columnOf(dimensions[condition.dimension], condition.dimension, 'dimension', subject);
  const list = condition.values.map(quoteLiteral).join(', ');
  return condition.negate ? `coalesce(${column}::text, '') not in (${list})` : `${column}::text in (${list})`;
}

function amountSql(amount: AmountCondition, subject: Subject): string {
  const column = columnOf(fields[amount.field], amount.field, 'field', subject);
  if (!Number.isFinite(amount.amount)) throw new RangeError('amount must be a finite number');
  return `${column} ${amount.op} ${amount.amount}`;
}

function periodSql(period: Period, dateColumn: string): string {
  return `${dateColumn} between ${quoteLiteral(period.from)}::date and ${quoteLiteral(period.to)}::date`;
}

/** A string as a PostgreSQL literal (standard_conforming_strings: only the quote is special). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
