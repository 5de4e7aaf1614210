/**
 * Prints a bench's result table as aligned plain text: the first `textColumns` columns left-aligned (names),
 * the rest right-aligned (figures), so the benches' outputs read alike and compare column by column.
 */
export function printTable(header: readonly string[], rows: readonly string[][], textColumns = 1): void {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index < textColumns ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!),
      )
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
