import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Modules own their data: no module's SQL names another module's tables. dependency-cruiser sees imports,
 * not SQL, so this test reads every string and template literal in src/ (SQL templates, raw SQL and the
 * table names given to Kysely's query builder alike) and checks each table name it finds against the
 * prefix of the module the file belongs to (ARCHITECTURE.md, "Inside a module").
 *
 * Exempt, on purpose: src/migrations/ (the one ordered folder that creates every table) and tests.
 * Nothing else: a module that needs another's data asks for it through that module's index.ts (targeting
 * reads intake's parcels through intake's bulk parcel facts).
 */

const SRC = 'src';
const EXEMPT = [join(SRC, 'migrations') + sep];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every table the migrations create: `createTable('x')` or `create table x`. */
function knownTables(): Set<string> {
  const tables = new Set<string>();
  for (const file of sourceFiles(join(SRC, 'migrations'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(
      /createTable\(\s*'([a-z0-9_]+)'|create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?([a-z0-9_]+)/gi,
    ))
      tables.add((match[1] ?? match[2]!).toLowerCase());
  }
  return tables;
}

/** The text of every string and template literal of a file, with where it is. */
function literals(file: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

/** The prefix a file may use: its module's name, `platform` for the platform, none elsewhere. */
function ownerOf(file: string): string | undefined {
  const parts = relative(SRC, file).split(sep);
  if (parts[0] === 'modules') return parts[1];
  if (parts[0] === 'platform') return 'platform';
  return undefined;
}

/** The known table names a piece of SQL text (or a query-builder argument such as 'intake_parcel as p') names. */
function tableNamesIn(text: string, tables: ReadonlySet<string>): string[] {
  return [...text.matchAll(/[a-z][a-z0-9_]*/gi)]
    .map(([word]) => word.toLowerCase())
    .filter((word) => tables.has(word));
}

function crossModuleTableNames(): string[] {
  const tables = knownTables();
  const findings: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (EXEMPT.some((prefix) => file.startsWith(prefix))) continue;
    const owner = ownerOf(file);
    for (const { text, line } of literals(file)) {
      for (const table of tableNamesIn(text, tables)) {
        if (owner && table.startsWith(`${owner}_`)) continue;
        findings.push(`${file}:${line} names ${table}`);
      }
    }
  }
  return findings;
}

describe('module tables', () => {
  it('finds the tables the migrations create', () => {
    expect([...knownTables()]).toEqual(
      expect.arrayContaining(['intake_parcel', 'targeting_decision', 'clearance_parcel', 'platform_outbox']),
    );
  });

  it('are named only by the module that owns them (prefix rule)', () => {
    expect(crossModuleTableNames()).toEqual([]);
  });

  it('catches a table named in another module, in SQL text and in the query builder alike', () => {
    const tables = knownTables();
    expect(tableNamesIn('select id from intake_parcel p join clearance_parcel c using (id)', tables)).toEqual(
      ['intake_parcel', 'clearance_parcel'],
    );
    expect(tableNamesIn('intake_parcel as p', tables)).toEqual(['intake_parcel']);
    expect(tableNamesIn('intake.stored targeting.decide intake_parcel_seller_idx', tables)).toEqual([]);
    expect(ownerOf(join(SRC, 'modules', 'targeting', 'targeting.repository.ts'))).toBe('targeting');
    expect(ownerOf(join(SRC, 'cli', 'main.ts'))).toBeUndefined();
  });
});
