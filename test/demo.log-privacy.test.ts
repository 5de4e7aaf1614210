import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BUYER } from '../src/demo/demo-buyer.js';
import { openClearwayDatabase } from '../src/main.js';
import { loadConfig } from '../src/platform/config/config.js';
import { freePort } from './support/free-port.js';
import { runCli, type CliRun } from './support/run-cli.js';
import { postalItem, s10 } from './support/sample-data.js';
import { availableEngines, createPostgresTestDatabase, type Engine } from './support/test-database.js';

/**
 * The demo as an operator runs it, with the log at its most talkative (debug): a server, the first
 * start's data loaded into it, a carrier's file with bad records imported beside it, requests with
 * personal data in bodies and query strings, and a database error that quotes the row it refused.
 * Everything any process printed is then searched for the demo's personal data (docs/security.md):
 * every PCCC, name, street, e-mail address and phone number stored. None may be there.
 */
const binary = join(process.cwd(), 'bin', 'clearway.js');
/** Addressees with this name prefix are refused by the database (a trigger planted below). */
const REFUSED_NAME = 'Refused Hong Gildong';
const REFUSED_STREET = '77 Sejong-daero, Jung-gu';

describe.each(await availableEngines())("the demo's log on %s", (engine: Engine) => {
  const workDir = mkdtempSync(join(tmpdir(), 'clearway-log-privacy-'));
  let dropDatabase = async () => undefined as void;
  afterAll(async () => {
    await dropDatabase();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('holds none of the personal data the demo stored, its refusals and database errors included', async () => {
    const dataDir = join(workDir, 'data');
    const database: Record<string, string> = {};
    if (engine === 'postgres') {
      const server = await createPostgresTestDatabase();
      database.DATABASE_URL = server.url;
      dropDatabase = server.drop;
    }
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...database });
    await plantDatabaseRefusal(config);

    const outputs: CliRun[] = [];
    const cli = async (args: string[]) => {
      const run = await runCli(args, dataDir, undefined, { LOG_LEVEL: 'debug', ...database });
      outputs.push(run);
      return run;
    };
    const server = await startServer(dataDir, database);
    try {
      const loaded = await cli([
        'demo',
        'load',
        '--days',
        '1',
        '--parcels-per-day',
        '30',
        '--history-weeks',
        '1',
        '--seed',
        '5',
      ]);
      expect(loaded.code, loaded.stderr).toBe(0);

      // A carrier's file: a NUL in one name, a byte that is not UTF-8 in another, one addressee the
      // database refuses. The rest is stored; the refusals are named by line (exit 3).
      const files = join(workDir, 'files');
      const generated = await cli([
        'demo',
        'generate',
        '--out',
        files,
        '--days',
        '1',
        '--parcels-per-day',
        '20',
        '--seed',
        '9',
        '--only',
        'express',
        '--express-format',
        'csv',
      ]);
      expect(generated.code, generated.stderr).toBe(0);
      const manifest = join(files, 'express-manifest.csv');
      const text = readFileSync(manifest, 'utf8');
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      const lines = text.split('\n');
      // Names hold no comma or quote, so a row's name is found in its line as written.
      const renamed = (line: number, name: string) =>
        (lines[line] = lines[line]!.replace(`,${rows[line - 1]!['consignee.name']},`, `,${name},`));
      const nulName = rows[2]!['consignee.name']!;
      renamed(3, `${nulName.slice(0, 1)}\u0000${nulName.slice(1)}`);
      renamed(5, REFUSED_NAME);
      const bytes = Buffer.from(lines.join('\n'));
      // A Latin-1 byte in place of the second byte of the name on line 7.
      const latin1 = bytes.indexOf(Buffer.from(`,${rows[6]!['consignee.name']},`));
      bytes[latin1 + 2] = 0xe9;
      writeFileSync(manifest, bytes);
      const imported = await cli(['import', 'express', manifest]);
      expect(imported.code, imported.stdout + imported.stderr).toBe(3);

      // Requests with personal data in bodies and query strings, one of them refused by the database.
      const postToken = (
        await cli(['keys', 'create', '--role', 'postal_operator', '--org', 'KPOST'])
      ).stdout.trim();
      const officerToken = (await cli(['keys', 'create', '--role', 'targeting_analyst'])).stdout.trim();
      const addressee = postalItem().addressee as Record<string, unknown>;
      const send = (path: string, token: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const refused = await send('/api/v1/postal/items', postToken, {
        ...postalItem({ itemId: s10(90000001) }),
        addressee: { ...addressee, name: REFUSED_NAME, street: REFUSED_STREET },
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      const nul = await send('/api/v1/postal/items', postToken, {
        ...postalItem({ itemId: s10(90000002) }),
        addressee: { ...addressee, name: 'Kim\u0000Minji' },
      });
      expect(nul.status).toBe(422);
      const search = await send(
        `/api/v1/parcels?pccc=${DEMO_BUYER.pccc}&q=${encodeURIComponent(DEMO_BUYER.emailOnFile)}`,
        officerToken,
      );
      expect(search.status).toBeLessThan(500);
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: DEMO_BUYER.email, password: 'not the password at all' }),
      });
      expect(login.status).toBe(401);
    } finally {
      await server.stop();
    }

    const log = [server.output(), ...outputs.flatMap((run) => [run.stdout, run.stderr])].join('\n');
    // The log is the talkative one asked for: each request, and the database error as one line with
    // its error id and, at debug level, its stack.
    expect(log).toContain('"msg":"incoming request"');
    expect(log).toMatch(/"errorId":"[^"]+","err":\{[^\n]*"code":"22P02"[^\n]*"stack"/);
    const personal = await storedPersonalData(config);
    expect(personal.length).toBeGreaterThan(100);
    // As written, and as a URL carries it (`kim%40mail.example`).
    const found = personal.filter((value) => log.includes(value) || log.includes(encodeURIComponent(value)));
    expect(found, `personal data in the log: ${found.slice(0, 5).join(' | ')}`).toEqual([]);
  }, 600_000);
});

/**
 * A trigger refusing addressees named REFUSED_NAME with a data exception that quotes the row's name
 * and street, as PostgreSQL's own messages quote the values they refuse (`invalid input syntax ...`),
 * and carries the whole addressee in its detail, as `Failing row contains (...)` does.
 */
async function plantDatabaseRefusal(config: ReturnType<typeof loadConfig>): Promise<void> {
  const database = await openClearwayDatabase(config);
  try {
    await sql`
      create function test_refuse_planted_addressee() returns trigger language plpgsql as $$
      begin
        if new.addressee->>'name' = ${sql.lit(REFUSED_NAME)} then
          raise exception using
            errcode = '22P02',
            message = format('invalid input syntax for type numeric: "%s, %s"',
              new.addressee->>'name', new.addressee->>'street'),
            detail = format('Failing row contains (%s).', new.addressee::text);
        end if;
        return new;
      end $$
    `.execute(database.db);
    await sql`
      create trigger test_refuse_planted_addressee before insert on intake_parcel
      for each row execute function test_refuse_planted_addressee()
    `.execute(database.db);
  } finally {
    await database.close();
  }
}

/** Every PCCC, name, street, e-mail and phone the demo stored, and those this test sent (3 characters or more). */
async function storedPersonalData(config: ReturnType<typeof loadConfig>): Promise<string[]> {
  const database = await openClearwayDatabase(config);
  try {
    const { rows } = await sql<{ value: string | null }>`
      select pccc as value from intake_parcel
      union select addressee->>'name' from intake_parcel
      union select addressee->>'street' from intake_parcel
      union select addressee->>'phone' from intake_parcel
      union select addressee->>'email' from intake_parcel
      union select buyer_pccc from intake_order
      union select buyer_name from intake_order
      union select payer_name from intake_payment
      union select email from identity_account where kind = 'consumer'
      union select pccc from identity_account where kind = 'consumer'
      union select display_name from identity_account where kind = 'consumer'
    `.execute(database.db);
    const values = rows
      .map((row) => row.value)
      .filter((value): value is string => !!value && value.length >= 3);
    return [
      ...new Set([
        ...values,
        REFUSED_NAME,
        REFUSED_STREET,
        DEMO_BUYER.email,
        DEMO_BUYER.emailOnFile,
        DEMO_BUYER.pccc,
        DEMO_BUYER.name,
      ]),
    ];
  } finally {
    await database.close();
  }
}

/** `clearway serve` at debug level, its output kept; command-line tools reach it through its socket. */
async function startServer(dataDir: string, database: Record<string, string>) {
  const port = await freePort();
  const { DATABASE_URL: _fromTestRun, ...inherited } = process.env;
  const child = spawn(process.execPath, [binary, 'serve'], {
    env: {
      ...inherited,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'debug',
      NODE_ENV: 'test',
      ...database,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!output.includes('Clearway is listening')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
