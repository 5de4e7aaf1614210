import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { postalItem, s10 } from './support/sample-data.js';

/**
 * The README's path while `npm start` runs: on the embedded database, which one process only may open,
 * the command-line tools that write go through the running server, and a second server is refused
 * with one line that says what to do.
 */
const binary = join(process.cwd(), 'bin', 'clearway.js');

describe('command-line tools beside a running server on the embedded database', () => {
  let dataDir: string;
  let port: number;
  let server: ChildProcessWithoutNullStreams;
  let serverOutput = '';

  const environment = () => {
    const { DATABASE_URL: _serverUrl, ...inherited } = process.env;
    return { ...inherited, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', NODE_ENV: 'test' };
  };
  const runCli = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [binary, ...args], { env: environment() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'clearway-beside-'));
    port = await freePort();
    server = spawn(process.execPath, [binary, 'serve'], { env: environment() });
    server.stdout.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()));
    // A loaded machine (eight engineers' test runs on two cores) can take minutes to start a server.
    const deadline = Date.now() + 240_000;
    while (!serverOutput.includes('Clearway is listening')) {
      if (Date.now() > deadline || server.exitCode !== null)
        throw new Error(`the server did not start:\n${serverOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 300_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('close', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'creates an API key inside the running server, which accepts it at once',
    { timeout: 180_000 },
    async () => {
      const created = await runCli(['keys', 'create', '--role', 'postal_operator', '--org', 'KPOST']);
      expect(created.code).toBe(0);
      const key = created.stdout.trim();
      expect(key.length).toBeGreaterThan(20);
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/postal/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(postalItem({ itemId: s10(91000001) })),
      });
      expect(response.status).toBe(201);
      const listed = await runCli(['keys', 'list']);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('KPOST');
    },
  );

  it('answers a bad argument with one line and a non-zero status', { timeout: 180_000 }, async () => {
    const refused = await runCli(['keys', 'create', '--role', 'nobody']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/unknown role nobody; use one of/),
    ]);
  });

  it(
    'refuses a second server on the same data folder with one line naming the first',
    { timeout: 180_000 },
    async () => {
      const second = await runCli(['serve']);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`in use by process ${server.pid}: stop that process`)),
      ]);
    },
  );
});
