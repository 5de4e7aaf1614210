import { sql, type Kysely } from 'kysely';
import { ensureMonthPartition, monthStart } from '../platform/db/time-partitions.js';

export interface MonthlyConversion {
  table: string;
  /** The timestamptz column to partition by (not null). */
  column: string;
  /** The primary key of the partitioned table: the old one plus `column`, since every unique key must hold it. */
  primaryKey: readonly string[];
  /** Further unique keys, each with `column` in it. */
  uniques?: readonly { name: string; columns: readonly string[] }[];
  /**
   * Foreign keys of other tables that reference this one, dropped: a reference needs a unique key it can
   * name alone, which a partitioned table no longer has (the migration says what takes their place).
   */
  droppedReferences?: readonly { table: string; constraint: string }[];
  /** Months after the current one to create partitions for at once (the scheduler keeps it up later). */
  monthsAhead: number;
}

/**
 * Turns a plain table into one partitioned by month on `column`, with every row, column, default,
 * identity (continuing where it was), check, index, foreign key, trigger and view that depended on
 * it: the old table is renamed aside, the new one created like it, filled, and the old one dropped.
 * The same steps run on PostgreSQL and on the embedded PGlite. It runs in the migration's transaction,
 * so a failure leaves the table as it was.
 */
export async function convertToMonthlyPartitions(db: Kysely<any>, spec: MonthlyConversion): Promise<void> {
  const { table, column } = spec;
  const old = `${table}_unpartitioned`;

  for (const reference of spec.droppedReferences ?? [])
    await sql`alter table ${sql.table(reference.table)} drop constraint ${sql.ref(reference.constraint)}`.execute(
      db,
    );

  // Views on the table (and views on those) are bound to it, not to its name: they are dropped here and
  // made again from their own definitions once the new table stands.
  const { rows: views } = await sql<{ name: string; definition: string; depth: number }>`
    with recursive dependent (oid, depth) as (
      select r.ev_class, 1 from pg_depend d join pg_rewrite r on r.oid = d.objid
      where d.refobjid = to_regclass(${table}) and r.ev_class <> to_regclass(${table})
      union all
      select r.ev_class, dependent.depth + 1 from dependent
      join pg_depend d on d.refobjid = dependent.oid
      join pg_rewrite r on r.oid = d.objid
      where r.ev_class <> dependent.oid
    )
    select c.relname as name, pg_get_viewdef(c.oid) as definition, max(depth)::int as depth
    from dependent join pg_class c on c.oid = dependent.oid
    group by c.oid, c.relname order by depth, name`.execute(db);
  for (const view of [...views].reverse()) await sql`drop view ${sql.table(view.name)}`.execute(db);

  // Index definitions, foreign keys and triggers are read before the rename, under the table's own name.
  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select i.relname as name, pg_get_indexdef(i.oid) as definition
    from pg_index x join pg_class i on i.oid = x.indexrelid
    where x.indrelid = to_regclass(${table})
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)
    order by i.relname`.execute(db);
  const { rows: foreignKeys } = await sql<{ name: string; definition: string }>`
    select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
    where conrelid = to_regclass(${table}) and contype = 'f' order by conname`.execute(db);
  const { rows: triggers } = await sql<{ name: string; definition: string }>`
    select tgname as name, pg_get_triggerdef(oid) as definition from pg_trigger
    where tgrelid = to_regclass(${table}) and not tgisinternal order by tgname`.execute(db);
  const { rows: constraints } = await sql<{ name: string }>`
    select conname as name from pg_constraint
    where conrelid = to_regclass(${table}) and contype in ('p', 'u') order by conname`.execute(db);
  const { rows: identities } = await sql<{ name: string; sequence: string }>`
    select attname as name, pg_get_serial_sequence(${table}, attname) as sequence from pg_attribute
    where attrelid = to_regclass(${table}) and attidentity <> '' and not attisdropped`.execute(db);

  // Index names are unique in the schema: the old table's step aside for the new table's.
  for (const index of indexes) await sql`drop index ${sql.table(index.name)}`.execute(db);
  for (const constraint of constraints)
    await sql`alter table ${sql.table(table)} rename constraint ${sql.ref(constraint.name)}
      to ${sql.ref(`${constraint.name}_unpartitioned`)}`.execute(db);
  await sql`alter table ${sql.table(table)} rename to ${sql.table(old)}`.execute(db);

  await sql`
    create table ${sql.table(table)} (like ${sql.table(old)} including defaults including constraints
      including identity including generated including storage including comments)
    partition by range (${sql.ref(column)})`.execute(db);
  await sql`alter table ${sql.table(table)} add primary key (${sql.join(spec.primaryKey.map((name) => sql.ref(name)))})`.execute(
    db,
  );
  for (const unique of spec.uniques ?? [])
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(unique.name)}
      unique (${sql.join(unique.columns.map((name) => sql.ref(name)))})`.execute(db);
  for (const index of indexes) await sql.raw(index.definition).execute(db);
  await sql`create table ${sql.table(`${table}_default`)} partition of ${sql.table(table)} default`.execute(
    db,
  );

  // A partition for every month the rows span, and the months ahead, before the rows are copied in.
  const { rows: span } = await sql<{ first: Date | null; last: Date | null }>`
    select min(${sql.ref(column)}) as first, max(${sql.ref(column)}) as last from ${sql.table(old)}`.execute(
    db,
  );
  const now = new Date();
  const first = monthStart(span[0]!.first ? new Date(span[0]!.first) : now);
  const lastRow = span[0]!.last ? new Date(span[0]!.last) : now;
  const last = monthStart(lastRow > now ? lastRow : now, spec.monthsAhead);
  for (let month = first; month <= last; month = monthStart(month, 1))
    await ensureMonthPartition(db, table, column, month);

  await sql`insert into ${sql.table(table)} overriding system value select * from ${sql.table(old)}`.execute(
    db,
  );
  for (const foreignKey of foreignKeys)
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(foreignKey.name)} ${sql.raw(foreignKey.definition)}`.execute(
      db,
    );
  for (const trigger of triggers) await sql.raw(trigger.definition).execute(db);

  // The identity goes on from where the old one stood, under the old sequence's name.
  const sequences = identities.map((identity) => ({
    ...identity,
    fresh: `pg_get_serial_sequence('${table}', '${identity.name}')`,
  }));
  for (const identity of sequences)
    await sql`select setval(${sql.raw(identity.fresh)}, last_value, is_called) from ${sql.raw(identity.sequence)}`.execute(
      db,
    );
  await sql`drop table ${sql.table(old)}`.execute(db);
  for (const identity of sequences) {
    const { rows } = await sql<{ name: string }>`select ${sql.raw(identity.fresh)} as name`.execute(db);
    const bare = (name: string) => name.replace(/^.*\./, '').replace(/"/g, '');
    if (bare(rows[0]!.name) !== bare(identity.sequence))
      await sql`alter sequence ${sql.raw(rows[0]!.name)} rename to ${sql.ref(bare(identity.sequence))}`.execute(
        db,
      );
  }

  for (const view of views)
    await sql`create view ${sql.table(view.name)} as ${sql.raw(view.definition.replace(/;\s*$/, ''))}`.execute(
      db,
    );
}
