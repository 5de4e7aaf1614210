import { parse } from '@libpg-query/parser';

/**
 * The last check before a generated statement runs, with PostgreSQL's own parser (libpg_query compiled
 * to WebAssembly, inside the npm package; nothing is downloaded): exactly one plain SELECT, reading only
 * the allowed views, calling only the aggregate and date functions the compiler writes, without locking
 * clauses, SELECT INTO, CTEs or functions in FROM. Whatever produced the SQL (the compiler today), a
 * statement that fails here never reaches the database.
 */
export type GuardVerdict = { safe: true } | { safe: false; reason: string };

const allowedFunctions = new Set(['count', 'sum', 'avg', 'round', 'date_trunc', 'extract', 'min', 'max']);

export async function checkReadOnlySelect(
  sqlText: string,
  allowedRelations: readonly string[],
): Promise<GuardVerdict> {
  let tree: { stmts?: { stmt?: Record<string, unknown> }[] };
  try {
    tree = (await parse(sqlText)) as typeof tree;
  } catch (error) {
    return { safe: false, reason: `not valid SQL: ${(error as Error).message}` };
  }
  const statements = tree.stmts ?? [];
  if (statements.length !== 1)
    return { safe: false, reason: `expected one statement, found ${statements.length}` };
  const statement = statements[0]!.stmt ?? {};
  const kind = Object.keys(statement)[0];
  if (kind !== 'SelectStmt') return { safe: false, reason: `only SELECT may run, not ${kind}` };
  const allowed = new Set(allowedRelations);
  const problems: string[] = [];
  walk(statement, (key, node) => {
    switch (key) {
      case 'RangeVar': {
        const relation = node as { relname?: string; schemaname?: string };
        if (relation.schemaname && relation.schemaname !== 'public')
          problems.push(`schema ${relation.schemaname} is not allowed`);
        if (!relation.relname || !allowed.has(relation.relname))
          problems.push(`relation ${relation.relname} is not an allowed view`);
        break;
      }
      case 'FuncCall': {
        const names = ((node as { funcname?: { String?: { sval?: string } }[] }).funcname ?? []).map(
          (part) => part.String?.sval ?? '',
        );
        const name = names[names.length - 1] ?? '';
        const schema = names.length > 1 ? names[0] : undefined;
        if (!allowedFunctions.has(name) || (schema !== undefined && schema !== 'pg_catalog'))
          problems.push(`function ${names.join('.')} is not allowed`);
        break;
      }
      case 'intoClause':
        problems.push('SELECT INTO is not allowed');
        break;
      case 'lockingClause':
        problems.push('locking clauses are not allowed');
        break;
      case 'withClause':
        problems.push('WITH is not allowed');
        break;
      case 'RangeFunction':
      case 'RangeTableFunc':
        problems.push('functions in FROM are not allowed');
        break;
      case 'SubLink':
      case 'RangeSubselect':
        problems.push('subqueries are not allowed');
        break;
    }
  });
  return problems.length === 0 ? { safe: true } : { safe: false, reason: problems.join('; ') };
}

function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    visit(key, value);
    walk(value, visit);
  }
}
