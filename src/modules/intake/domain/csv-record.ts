/**
 * CSV files use the JSON field paths as column names (`consignee.name`, `line.hsCode`), so one schema
 * validates both formats. Empty cells mean "absent"; numeric columns stay strings and are parsed by the
 * schema's decimal rules, except the few integer fields listed here.
 */
const INTEGER_FIELDS = new Set(['pieces']);

/** Column name -> JSON path, worked out once per distinct header instead of on every row. */
const columnPaths = new Map<string, string[]>();

function pathOf(column: string): string[] {
  let path = columnPaths.get(column);
  if (!path) {
    path = column.trim().split('.');
    if (columnPaths.size < 10_000) columnPaths.set(column, path);
  }
  return path;
}

export function csvRowToObject(row: Record<string, string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [column, rawCell] of Object.entries(row)) {
    const cell = rawCell.trim();
    if (cell === '') continue;
    const path = pathOf(column);
    let target = result;
    for (const key of path.slice(0, -1)) {
      const existing = target[key];
      if (existing === undefined || typeof existing !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    target[leaf] = INTEGER_FIELDS.has(leaf) && /^-?\d+$/.test(cell) ? Number(cell) : cell;
  }
  return result;
}
