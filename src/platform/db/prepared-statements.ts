import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */';

/**
 * Put first in the text of a statement that runs for every parcel (sql`${prepared}select ...`): on
 * PostgreSQL it then runs as a named prepared statement of its connection, parsed and planned once per
 * connection (the pool sets `plan_cache_mode=force_generic_plan`, which only named statements heed).
 * Planning was most of the server's work on the hot path: the parcel facts' read names the
 * month-partitioned parcels seven times and took 12 ms to plan for 3.6 ms of execution
 * (pg_stat_statements in bench/load.bench.ts).
 *
 * Opt-in rather than every statement: a generic plan is chosen on estimates, and a history-wide
 * analytical query with a date range is better planned for its actual values each time. On the embedded
 * database the mark is only a comment.
 */
export const prepared = sql.raw(`${MARK} `);

/**
 * Runs a statement made with Kysely's query builder as `prepared` runs raw SQL: for the small reads that
 * a worker makes once per batch, whose planning cost more than their execution under the load bench
 * (0.1-0.2 ms planned against 0.01-0.07 ms executed, per call). A list compared with `in` has one text per
 * length: compare with `= any(array)` instead, so that one statement serves every length.
 */
export async function executePrepared<Row>(
  db: Pick<Kysely<object>, 'executeQuery'>,
  query: Compilable<Row>,
): Promise<Row[]> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<Row>(
    CompiledQuery.raw(`${MARK} ${compiled.sql}`, [...compiled.parameters]),
  );
  return rows;
}

/** Prepared statements one connection keeps at most; a marked text past it runs unprepared. */
const MAX_PER_CONNECTION = 64;
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    // Only marked texts are named, a fixed set; the bound guards against a marked text built from data.
    if (names.size >= 1000) names.clear();
    name = `cw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

type QueryClient = Pick<pg.PoolClient, 'query' | 'release'>;

/** A client whose marked statements run as named prepared statements (pg keeps the parsed ones per connection). */
function preparingClient(client: pg.PoolClient): QueryClient {
  const preparedHere = new Set<string>();
  return {
    query: ((query: unknown, values?: unknown[]) => {
      if (typeof query === 'string' && query.startsWith(MARK)) {
        const name = statementName(query);
        if (preparedHere.has(name) || preparedHere.size < MAX_PER_CONNECTION) {
          preparedHere.add(name);
          return client.query({ name, text: query, values });
        }
      }
      return client.query(query as string, values);
    }) as pg.PoolClient['query'],
    release: (error?: Error | boolean) => client.release(error),
  };
}

/** The pool as Kysely's PostgreSQL dialect sees it, each connection wrapped by `preparingClient` once. */
export function preparingPool(pool: pg.Pool): pg.Pool {
  const wrapped = new WeakMap<pg.PoolClient, QueryClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      let preparing = wrapped.get(client);
      if (!preparing) {
        preparing = preparingClient(client);
        wrapped.set(client, preparing);
      }
      return preparing;
    },
    end: () => pool.end(),
  } as unknown as pg.Pool;
}
