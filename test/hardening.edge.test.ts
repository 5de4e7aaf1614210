import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdentityTestApp } from './support/identity-fixtures.js';
import { freePort } from './support/free-port.js';

/**
 * Issue 12's edge of the server, outside the database: whose address a rate limit counts behind a
 * proxy (TRUST_PROXY), and how the first start tells the administrator's password (a plain banner on
 * standard output, once, never a log record). Neither depends on the database engine: the embedded one.
 */
describe('the edge of the server', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'clearway-edge-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  /** Three sign-in attempts from each of two clients behind one proxy at 10.0.0.1; the limit is 2 a minute. */
  async function statusesBehindProxy(trustProxy?: string) {
    const { app } = await createIdentityTestApp('embedded', {
      AUTH_RATE_LIMIT_PER_MINUTE: '2',
      ...(trustProxy ? { TRUST_PROXY: trustProxy } : {}),
    });
    try {
      const statuses: Record<string, number[]> = {};
      for (const client of ['198.51.100.7', '203.0.113.9'])
        for (let attempt = 0; attempt < 3; attempt++) {
          const response = await app.http.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            remoteAddress: '10.0.0.1',
            headers: { 'x-forwarded-for': client },
            payload: { email: 'nobody@customs.example', password: 'not the password' },
          });
          (statuses[client] ??= []).push(response.statusCode);
        }
      return statuses;
    } finally {
      await app.close();
    }
  }

  it('counts each client behind a trusted proxy on its own, and all as one without TRUST_PROXY', async () => {
    expect(await statusesBehindProxy('10.0.0.1')).toEqual({
      '198.51.100.7': [401, 401, 429],
      '203.0.113.9': [401, 401, 429],
    });
    // Untrusted, the forwarded header is ignored: both clients are the proxy, and share its limit.
    expect(await statusesBehindProxy()).toEqual({
      '198.51.100.7': [401, 401, 429],
      '203.0.113.9': [429, 429, 429],
    });
  }, 60_000);

  it('prints the first administrator password once, as a plain banner and never in a log record', async () => {
    const first = await serveDemoUntilBanner(join(workDir, 'data'));
    const password = /^ {2}password: (\S+)$/m.exec(first.stdout)?.[1];
    expect(password, first.stdout).toBeDefined();
    expect(first.stdout).toMatch(/^={72}$/m);
    const records = first.stdout
      .split('\n')
      .concat(first.stderr.split('\n'))
      .filter((line) => line.startsWith('{'));
    expect(records.length).toBeGreaterThan(0);
    expect(records.filter((line) => line.includes(password!))).toEqual([]);
    expect(first.stderr).not.toContain(password!);

    // Later starts do not show it again; ADMIN_PASSWORD replaces it, and is not printed either.
    const later = await serveDemoUntilBanner(join(workDir, 'data'));
    expect(later.stdout).not.toContain(password!);
    expect(later.stdout).toContain('password: the one shown at the first start');
    const chosen = await serveDemoUntilBanner(join(workDir, 'data'), {
      ADMIN_PASSWORD: 'a chosen pass phrase 42',
    });
    expect(chosen.stdout).toContain('password: the one in ADMIN_PASSWORD');
    expect(chosen.stdout + chosen.stderr).not.toContain('a chosen pass phrase 42');
  }, 300_000);
});

/**
 * `clearway serve --demo` on the embedded database, stopped (SIGKILL) once the banner is out: the first
 * start's demo data, which loads behind it for minutes, is not what this looks at.
 */
function serveDemoUntilBanner(
  dataDir: string,
  environment: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return freePort().then(
    (port) =>
      new Promise((resolve, reject) => {
        const { DATABASE_URL: _fromTestRun, ADMIN_PASSWORD: _chosen, ...inherited } = process.env;
        const child = spawn(
          process.execPath,
          [join(process.cwd(), 'bin', 'clearway.js'), 'serve', '--demo'],
          {
            env: {
              ...inherited,
              DATA_DIR: dataDir,
              HOST: '127.0.0.1',
              PORT: String(port),
              LOG_LEVEL: 'info',
              NODE_ENV: 'test',
              PASSWORD_HASH_COST: '14',
              ...environment,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/API clients:.*\n={72}\n/.test(stdout)) child.kill('SIGKILL');
        });
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve({ stdout, stderr });
        });
      }),
  );
}
