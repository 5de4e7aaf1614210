import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DimensionId } from './domain/semantic-model.js';
import type { StructuredQuery } from './domain/structured-query.js';

/**
 * The only code of this module that talks to the database: answers run over the published analysis
 * views (never a table of another module) inside a read-only transaction with a statement timeout, and
 * favourites live in the module's own table `questions_favourite`.
 */
export interface Favourite {
  id: number;
  owner: string;
  name: string;
  question: string;
  language: 'ko' | 'en' | 'fr';
  query: StructuredQuery;
  shared: boolean;
  createdAt: string;
}

interface FavouriteRow {
  id: number;
  owner: string;
  name: string;
  question: string;
  language: Favourite['language'];
  query: StructuredQuery | string;
  shared: boolean;
  created_at: Date | string;
}

export interface ReadOnlyResult {
  rows: Record<string, unknown>[];
  truncated: boolean;
}

/** Raised when the statement ran past its time limit (PostgreSQL's query_canceled, 57014). */
export class StatementTimeoutError extends Error {}

export class QuestionsRepository {
  // The analysis views are not in any module's table types: queries over them are checked by PostgreSQL's parser.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly db: Kysely<any>;

  constructor(database: Database) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    this.db = database.db as Kysely<any>;
  }

  /**
   * Runs one checked SELECT in a transaction that cannot write, stopped after `timeoutMs`, and returns at
   * most `rowCap` rows (the statement itself is compiled with a limit of `rowCap + 1`, so that a longer
   * answer is known to be cut).
   */
  async runReadOnly(
    statement: string,
    options: { timeoutMs: number; rowCap: number },
  ): Promise<ReadOnlyResult> {
    const timeout = Math.max(1, Math.floor(options.timeoutMs));
    try {
      return await this.db.transaction().execute(async (tx) => {
        await sql`set transaction read only`.execute(tx);
        await sql.raw(`set local statement_timeout = ${timeout}`).execute(tx);
        const result = await sql.raw<Record<string, unknown>>(statement).execute(tx);
        const rows = result.rows.slice(0, options.rowCap);
        return { rows, truncated: result.rows.length > options.rowCap };
      });
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw new StatementTimeoutError('statement timeout');
      throw error;
    }
  }

  /** Codes the data holds for dimensions people type as codes (carriers, offices), for the parser. */
  async knownCodes(): Promise<{ dimension: DimensionId; value: string }[]> {
    const result = await sql<{ dimension: DimensionId; value: string }>`
      select distinct 'carrier' as dimension, carrier_code as value from intake_analysis_parcel where carrier_code is not null
      union
      select distinct 'office', office_code from intake_analysis_parcel where office_code is not null`.execute(
      this.db,
    );
    return result.rows.filter((row) => /[a-z]/i.test(row.value));
  }

  /** The first and last date of each subject's data (an unnamed subject is the one with data for the period). */
  async dateCoverage(): Promise<Partial<Record<'parcels' | 'declarations', { from: string; to: string }>>> {
    const result = await sql<{ subject: 'parcels' | 'declarations'; from: string | null; to: string | null }>`
      select 'parcels' as subject, min(arrival_date)::text as "from", max(arrival_date)::text as "to" from intake_analysis_parcel
      union all
      select 'declarations', min(declared_on)::text, max(declared_on)::text from intake_analysis_declaration`.execute(
      this.db,
    );
    const coverage: Partial<Record<'parcels' | 'declarations', { from: string; to: string }>> = {};
    for (const row of result.rows)
      if (row.from && row.to) coverage[row.subject] = { from: row.from, to: row.to };
    return coverage;
  }

  async addFavourite(input: Omit<Favourite, 'id' | 'createdAt'>): Promise<Favourite> {
    const row = await this.db
      .insertInto('questions_favourite')
      .values({
        owner: input.owner,
        name: input.name,
        question: input.question,
        language: input.language,
        query: JSON.stringify(input.query),
        shared: input.shared,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toFavourite(row as FavouriteRow);
  }

  /** The asker's own favourites and those others shared, newest first. */
  async listFavourites(owner: string): Promise<Favourite[]> {
    const rows = await this.db
      .selectFrom('questions_favourite')
      .selectAll()
      .where((eb) => eb.or([eb('owner', '=', owner), eb('shared', '=', true)]))
      .orderBy('id', 'desc')
      .limit(500)
      .execute();
    return (rows as FavouriteRow[]).map(toFavourite);
  }

  async getFavourite(id: number): Promise<Favourite | undefined> {
    const row = await this.db
      .selectFrom('questions_favourite')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toFavourite(row as FavouriteRow) : undefined;
  }

  async deleteFavourite(id: number, owner: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('questions_favourite')
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toFavourite(row: FavouriteRow): Favourite {
  return {
    id: Number(row.id),
    owner: row.owner,
    name: row.name,
    question: row.question,
    language: row.language,
    query: typeof row.query === 'string' ? (JSON.parse(row.query) as StructuredQuery) : row.query,
    shared: row.shared,
    createdAt: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
  };
}
