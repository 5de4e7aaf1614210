/**
 * CSV files use the JSON field paths as column names (`consignee.name`, `line.hsCode`), so one schema
 * validates both formats. Empty cells mean "absent"; numeric columns stay strings and are parsed by the
 * schema's decimal rules, except the few integer fields listed here.
 */
const INTEGER_FIELDS = new Set(['pieces']);
const INTEGER = /^-?\d+$/;

interface CsvColumn {
  /** Position of the cell in each row. */
  index: number;
  /** Keys of the nested objects the cell goes into, outermost first. */
  parents: readonly string[];
  leaf: string;
  integer: boolean;
}

/** A header row worked out once per file, so that each row is only a walk over its cells. */
export interface CsvHeader {
  /** Number of cells every row must have. */
  width: number;
  columns: readonly CsvColumn[];
}

/**
 * Column names are trimmed. A name given twice keeps its first place but takes the cell of its last
 * column, as a record keyed by column name would.
 */
export function csvHeader(names: readonly string[]): CsvHeader {
  const lastIndex = new Map<string, number>();
  names.forEach((name, index) => lastIndex.set(name.trim(), index));
  const columns = [...lastIndex].map(([name, index]): CsvColumn => {
    const path = name.split('.');
    const leaf = path.pop()!;
    return { index, parents: path, leaf, integer: INTEGER_FIELDS.has(leaf) };
  });
  return { width: names.length, columns };
}

export function csvRowToObject(header: CsvHeader, cells: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const column of header.columns) {
    const cell = cells[column.index]!.trim();
    if (cell === '') continue;
    let target = result;
    for (const key of column.parents) {
      const existing = target[key];
      if (existing === undefined || typeof existing !== 'object') target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[column.leaf] = column.integer && INTEGER.test(cell) ? Number(cell) : cell;
  }
  return result;
}
