import { isOfficer, isParcelOperator, type Actor } from '../../platform/auth/actor.js';
import type { AuditTrail } from '../../platform/auth/audit-trail.js';
import { maskPersonalText } from '../../platform/logging/personal-data-mask.js';
import type { QueryFiller } from './adapters/llm-query-filler.js';
import { checkReadOnlySelect } from './adapters/sql-guard.js';
import {
  chooseChart,
  columnLabel,
  describeQuery,
  formatCell,
  messages,
  type ChartSpec,
} from './domain/answer-presentation.js';
import {
  parseQuestion,
  type ClarifyAbout,
  type ParseContext,
  type RefusalReason,
} from './domain/question-parser.js';
import { allowedViews, dimensions, fields, flags, type Language } from './domain/semantic-model.js';
import { compileQuery, NotAvailableError, type AnswerColumn } from './domain/sql-compiler.js';
import { structuredQuerySchema, type Condition, type StructuredQuery } from './domain/structured-query.js';
import { detectLanguage } from './domain/text.js';
import { QuestionsError } from './questions.errors.js';
import { StatementTimeoutError, type Favourite, type QuestionsRepository } from './questions.repository.js';

export interface AskInput {
  question: string;
  language?: Language;
  /** The day "today", "last week" and "this month" refer to (YYYY-MM-DD; default today, UTC). */
  asOf?: string;
  /** The understanding as the officer corrected it: replaces the parser's reading of `question`. */
  query?: unknown;
}

export interface AnswerColumnView {
  name: string;
  type: AnswerColumn['type'];
  label: string;
  unit?: string;
}

export interface Answer {
  status: 'answered' | 'clarify' | 'refused';
  /** The question as the system read it, in the asker's language. */
  understood: string;
  /** The structured understanding, to correct and send back as `query`. */
  query: StructuredQuery | null;
  sql: string | null;
  columns: AnswerColumnView[];
  rows: Record<string, unknown>[];
  /** The same rows as people read them (numbers, currencies and dates in the asker's language). */
  formattedRows: Record<string, string>[];
  chart: ChartSpec | null;
  message: string;
  language: Language;
  asOf: string;
  /** For `clarify`: the readings to pick from. */
  choices: { label: string; query: StructuredQuery }[];
  /** For `refused`: why. */
  reason?: RefusalReason | 'unsafe' | 'timeout';
  /** Who filled the structured query. */
  source: 'parser' | 'language_model' | 'correction';
  truncated: boolean;
}

export interface QuestionsLimits {
  /** Rows returned at most; the SQL asks for one more to know that the answer was cut. */
  rowCap: number;
  statementTimeoutMs: number;
}

export interface QuestionsDependencies {
  repository: QuestionsRepository;
  audit: AuditTrail;
  /** A language model filling the structured query; absent, the offline parser alone reads questions. */
  languageModel?: QueryFiller;
  limits?: Partial<QuestionsLimits>;
  today?: () => string;
}

const DATA_FACTS_TTL_MS = 60_000;

/**
 * Questions in plain language: read (parser or language model), correct, compile, check, run read-only
 * with the asker's rights, present, audit. Officers ask about everything; a carrier or post only about
 * the parcels and declarations it carried; nobody else asks.
 */
export class QuestionsService {
  private readonly limits: QuestionsLimits;
  private dataFacts:
    { at: number; codes: ParseContext['knownValues']; coverage: ParseContext['coverage'] } | undefined;

  constructor(private readonly dependencies: QuestionsDependencies) {
    this.limits = { rowCap: 1000, statementTimeoutMs: 5000, ...dependencies.limits };
  }

  async ask(actor: Actor, input: AskInput): Promise<Answer> {
    const restrictions = this.restrictionsOf(actor);
    const question = validateQuestion(input.question);
    const language = input.language ?? detectLanguage(question);
    const asOf = validateAsOf(input.asOf) ?? this.today();
    const answer = await this.answer(question, language, asOf, input.query, restrictions);
    await this.dependencies.audit.append({
      actor,
      action: 'questions.asked',
      details: {
        question: maskPersonalText(question),
        language,
        asOf,
        status: answer.status,
        ...(answer.reason ? { reason: answer.reason } : {}),
        source: answer.source,
        sql: answer.sql,
        rows: answer.rows.length,
      },
    });
    return answer;
  }

  private async answer(
    question: string,
    language: Language,
    asOf: string,
    correction: unknown,
    restrictions: Condition[],
  ): Promise<Answer> {
    const base = {
      language,
      asOf,
      choices: [],
      columns: [],
      rows: [],
      formattedRows: [],
      chart: null,
      sql: null,
      truncated: false,
    };
    if (correction !== undefined) {
      const parsed = structuredQuerySchema.safeParse(correction);
      if (!parsed.success) {
        throw new QuestionsError('invalid_input', 'query is not a valid structured query', {
          fieldErrors: parsed.error.issues.map((issue) => ({
            path: ['query', ...issue.path].join('.'),
            value: undefined,
            rule: issue.code,
            message: issue.message,
          })),
        });
      }
      return this.run(parsed.data, language, 'correction', base, restrictions);
    }
    const facts = await this.facts();
    const parsed = parseQuestion(question, {
      asOf,
      language,
      knownValues: facts.codes,
      coverage: facts.coverage,
    });
    if (parsed.status === 'refused') {
      return {
        ...base,
        status: 'refused',
        reason: parsed.reason,
        understood: question,
        query: null,
        message: messages.refused[parsed.reason][language],
        source: 'parser',
      };
    }
    const filled = this.dependencies.languageModel
      ? await this.dependencies.languageModel.fill(question, language, asOf)
      : undefined;
    if (filled) return this.run(filled, language, 'language_model', base, restrictions);
    if (parsed.status === 'clarify') return this.clarify(parsed.about, parsed.choices, language, base);
    return this.run(parsed.query, language, 'parser', base, restrictions);
  }

  private clarify(
    about: ClarifyAbout,
    choices: StructuredQuery[],
    language: Language,
    base: Pick<
      Answer,
      'language' | 'asOf' | 'columns' | 'rows' | 'formattedRows' | 'chart' | 'sql' | 'truncated'
    >,
  ): Answer {
    return {
      ...base,
      status: 'clarify',
      understood: messages.clarify[about][language],
      query: choices[0] ?? null,
      message: messages.clarify[about][language],
      choices: choices.map((query) => ({ label: describeQuery(query, language), query })),
      source: 'parser',
    };
  }

  private async run(
    query: StructuredQuery,
    language: Language,
    source: Answer['source'],
    base: Pick<
      Answer,
      'language' | 'asOf' | 'choices' | 'columns' | 'rows' | 'formattedRows' | 'chart' | 'sql' | 'truncated'
    >,
    restrictions: Condition[],
  ): Promise<Answer> {
    const understood = describeQuery(query, language);
    const capped: StructuredQuery = {
      ...query,
      limit: Math.min(query.limit ?? Infinity, this.limits.rowCap + 1),
    };
    let compiled;
    try {
      compiled = compileQuery(capped, restrictions);
    } catch (error) {
      if (!(error instanceof NotAvailableError)) throw error;
      const definition =
        error.what === 'dimension'
          ? dimensions[error.id as never]
          : error.what === 'field'
            ? fields[error.id as never]
            : flags[error.id as never];
      const label = (definition as { labels: Record<Language, string> }).labels[language];
      return {
        ...base,
        status: 'refused',
        reason: 'not_available',
        understood,
        query,
        message: `${messages.refused.not_available[language]}${label}`,
        source,
      };
    }
    const verdict = await checkReadOnlySelect(compiled.sql, allowedViews);
    if (!verdict.safe) {
      return {
        ...base,
        status: 'refused',
        reason: 'unsafe',
        understood,
        query,
        sql: compiled.sql,
        message: `${messages.refused.unsafe[language]} (${verdict.reason})`,
        source,
      };
    }
    let result;
    try {
      result = await this.dependencies.repository.runReadOnly(compiled.sql, {
        timeoutMs: this.limits.statementTimeoutMs,
        rowCap: this.limits.rowCap,
      });
    } catch (error) {
      if (!(error instanceof StatementTimeoutError)) throw error;
      return {
        ...base,
        status: 'refused',
        reason: 'timeout',
        understood,
        query,
        sql: compiled.sql,
        message: messages.refused.timeout[language],
        source,
      };
    }
    const rows = result.rows.map((row) => normaliseRow(row, compiled.columns));
    const message = result.truncated
      ? `${messages.answered[language](rows.length)}. ${messages.truncated[language](this.limits.rowCap)}`
      : messages.answered[language](rows.length);
    return {
      ...base,
      status: 'answered',
      understood,
      query,
      sql: compiled.sql,
      columns: compiled.columns.map((column) => ({
        name: column.name,
        type: column.type,
        label: columnLabel(column, query, language),
        ...(column.unit ? { unit: column.unit } : {}),
      })),
      rows,
      formattedRows: rows.map((row) =>
        Object.fromEntries(
          compiled.columns.map((column) => [column.name, formatCell(row[column.name], column, language)]),
        ),
      ),
      chart: chooseChart(query, compiled.columns, language),
      message,
      source,
      truncated: result.truncated,
    };
  }

  /** The rows every statement is limited to: a carrier or post sees only what it carried. */
  private restrictionsOf(actor: Actor): Condition[] {
    if (isOfficer(actor)) return [];
    if (isParcelOperator(actor))
      return [{ dimension: 'carrier', values: [actor.organisation.toUpperCase()], negate: false }];
    throw new QuestionsError('forbidden', 'Only officers, carriers and postal operators may ask questions');
  }

  async saveFavourite(
    actor: Actor,
    input: { name: string; question: string; language: Language; query: unknown; shared?: boolean },
  ): Promise<Favourite> {
    this.restrictionsOf(actor);
    const parsed = structuredQuerySchema.safeParse(input.query);
    if (!parsed.success)
      throw new QuestionsError('invalid_input', 'query is not a valid structured query', {
        fieldErrors: [
          {
            path: 'query',
            value: undefined,
            rule: 'structured-query',
            message: parsed.error.issues[0]?.message ?? 'invalid',
          },
        ],
      });
    const favourite = await this.dependencies.repository.addFavourite({
      owner: actor.accountId,
      name: input.name.trim(),
      question: validateQuestion(input.question),
      language: input.language,
      query: parsed.data,
      // Only officers share: a carrier's question carries its own scope and is of no use to others.
      shared: Boolean(input.shared) && isOfficer(actor),
    });
    await this.dependencies.audit.append({
      actor,
      action: 'questions.favourite_saved',
      subject: `favourite:${favourite.id}`,
      details: { shared: favourite.shared },
    });
    return favourite;
  }

  async listFavourites(actor: Actor): Promise<Favourite[]> {
    this.restrictionsOf(actor);
    const favourites = await this.dependencies.repository.listFavourites(actor.accountId);
    // Shared favourites come from officers; organisations see only their own.
    return isOfficer(actor)
      ? favourites
      : favourites.filter((favourite) => favourite.owner === actor.accountId);
  }

  async deleteFavourite(actor: Actor, id: number): Promise<void> {
    this.restrictionsOf(actor);
    if (!(await this.dependencies.repository.deleteFavourite(id, actor.accountId))) {
      throw new QuestionsError('favourite_not_found', `No favourite ${id} of yours`);
    }
    await this.dependencies.audit.append({
      actor,
      action: 'questions.favourite_deleted',
      subject: `favourite:${id}`,
    });
  }

  /** Codes and date coverage of the data, read at most once a minute (they change with imports only). */
  private async facts() {
    if (!this.dataFacts || Date.now() - this.dataFacts.at > DATA_FACTS_TTL_MS) {
      const [codes, coverage] = await Promise.all([
        this.dependencies.repository.knownCodes(),
        this.dependencies.repository.dateCoverage(),
      ]);
      this.dataFacts = { at: Date.now(), codes, coverage };
    }
    return this.dataFacts;
  }

  private today(): string {
    return this.dependencies.today?.() ?? new Date().toISOString().slice(0, 10);
  }
}

function validateQuestion(question: unknown): string {
  const text = typeof question === 'string' ? question.trim() : '';
  if (text.length === 0 || text.length > 500) {
    throw new QuestionsError('invalid_input', 'question must be 1 to 500 characters', {
      fieldErrors: [
        {
          path: 'question',
          value: question,
          rule: 'length-1-500',
          message: 'question must be 1 to 500 characters',
        },
      ],
    });
  }
  return text;
}

function validateAsOf(asOf: string | undefined): string | undefined {
  if (asOf === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new QuestionsError('invalid_input', 'asOf must be a date written YYYY-MM-DD', {
      fieldErrors: [
        { path: 'asOf', value: asOf, rule: 'iso-date', message: 'asOf must be a date written YYYY-MM-DD' },
      ],
    });
  }
  return asOf;
}

/** Numbers as numbers (PostgreSQL numeric arrives as text) and dates as YYYY-MM-DD, on both engines. */
function normaliseRow(row: Record<string, unknown>, columns: AnswerColumn[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const column of columns) {
    const value = row[column.name];
    if (value === null || value === undefined) result[column.name] = null;
    else if (value instanceof Date) result[column.name] = value.toISOString().slice(0, 10);
    else if (column.type === 'number') result[column.name] = Number(value);
    else result[column.name] = String(value);
  }
  return result;
}
