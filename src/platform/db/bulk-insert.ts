import { sql, type RawBuilder } from 'kysely';

/** Column name -> PostgreSQL type of the array parameter that carries it. */
export type ColumnTypes<Row> = {
  [K in keyof Row]:
    'text' | 'bigint' | 'int' | 'smallint' | 'numeric' | 'date' | 'timestamptz' | 'jsonb' | 'boolean';
};

/**
 * `insert into table (...) select * from unnest($1::text[], $2::numeric[], ...)`: one statement with one
 * array parameter per column, whatever the number of rows. Faster than multi-row VALUES on both engines
 * and free of the 65,535-parameter limit; `tail` adds `on conflict ...` and `returning ...`.
 */
export function unnestInsert<Row extends Record<string, unknown>>(
  table: string,
  columns: ColumnTypes<Row>,
  rows: readonly Row[],
  tail: RawBuilder<unknown> = sql``,
): RawBuilder<unknown> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  return sql`insert into ${sql.table(table)} (${sql.join(names.map((name) => sql.ref(name)))})
    select * from ${unnestRows('input', columns, rows)} ${tail}`;
}

/**
 * `unnest($1::text[], ...) as alias(column, ...)`: the rows as a table in a statement, for inserts that
 * join them with rows another part of the statement has just written.
 */
export function unnestRows<Row extends Record<string, unknown>>(
  alias: string,
  columns: ColumnTypes<Row>,
  rows: readonly Row[],
): RawBuilder<unknown> {
  const names = Object.keys(columns) as (keyof Row & string)[];
  const arrays = names.map((name) => {
    const type = columns[name];
    const values = rows.map((row) => {
      const value = row[name];
      if (value === undefined || value === null) return null;
      return type === 'jsonb' ? JSON.stringify(value) : value;
    });
    return sql`${values}::${sql.raw(type)}[]`;
  });
  return sql`unnest(${sql.join(arrays)}) as ${sql.raw(alias)}(${sql.join(names.map((name) => sql.ref(name)))})`;
}
