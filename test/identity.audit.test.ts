import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { openDatabase } from '../src/platform/db/database.js';
import { authHeader } from './support/test-app.js';
import { availableEngines } from './support/test-database.js';
import { createIdentityTestApp, officerSession } from './support/identity-fixtures.js';

const run = promisify(execFile);

describe.each(await availableEngines())('audit trail on %s', (engine) => {
  let app: Clearway;
  let admin: { authorization: string };

  beforeAll(async () => {
    ({ app } = await createIdentityTestApp(engine));
    admin = await authHeader(app, 'administrator');
  });
  afterAll(async () => app?.close());

  const verify = async () =>
    (await app.http.inject({ method: 'GET', url: '/api/v1/admin/audit/verify', headers: admin })).json();

  it('chains every entry to the one before it, also when appended concurrently', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        app.identity.audit.append({
          actor: systemActor,
          action: 'test.concurrent_append',
          subject: `parcel:${index}`,
          details: { index, at: new Date(0), nested: { b: 1, a: [1, 'two', null] } },
        }),
      ),
    );
    const entries = await app.identity.audit.list(systemActor, { limit: 1000 });
    const seqs = entries.map((entry) => entry.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    const result = await verify();
    expect(result).toMatchObject({ ok: true, entries: seqs.length, head: { seq: seqs.length } });
  });

  it('records logins, key changes and account changes with the actor and credential, never a secret', async () => {
    const officer = await officerSession(app, ['targeting_analyst']);
    const created = await app.http.inject({
      method: 'POST',
      url: '/api/v1/admin/keys',
      headers: admin,
      payload: { role: 'carrier', organisation: 'AUDITED' },
    });
    const keyId = created.json().keyId;
    await app.http.inject({ method: 'DELETE', url: `/api/v1/admin/keys/${keyId}`, headers: admin });

    const trail = await app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/audit?limit=500',
      headers: admin,
    });
    expect(trail.statusCode).toBe(200);
    const entries = trail.json().entries as {
      action: string;
      subject: string;
      actor: string;
      via: string | null;
    }[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'identity.login',
        subject: `account:${officer.accountId}`,
        via: expect.stringMatching(/^session:/),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'identity.account_created',
        subject: `account:${officer.accountId}`,
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'identity.key_created',
        subject: `api_key:${keyId}`,
        actor: expect.stringMatching(/^officer:/),
        via: expect.stringMatching(/^api_key:/),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'identity.key_revoked', subject: `api_key:${keyId}` }),
    );
    expect(trail.body).not.toContain(created.json().token);
    expect(trail.body).not.toContain(officer.password);

    const byAction = await app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/audit?action=identity.key_revoked',
      headers: admin,
    });
    expect(
      byAction.json().entries.every((entry: { action: string }) => entry.action === 'identity.key_revoked'),
    ).toBe(true);
  });

  it('cannot be edited through the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await expect(
      sql`update identity_audit_entry set actor = 'someone else' where seq = 1`.execute(app.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from identity_audit_entry where seq = 1`.execute(app.database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`truncate identity_audit_entry`.execute(app.database.db)).rejects.toThrow(/append-only/);
    expect((await verify()).ok).toBe(true);
  });

  it('detects an entry changed by someone who went around the trigger', async () => {
    const target = await app.identity.audit.append({
      actor: 'system',
      action: 'test.decision',
      subject: 'parcel:77',
      details: { lane: 'red' },
    });
    await app.identity.audit.append({ actor: 'system', action: 'test.after', subject: 'parcel:78' });
    await sql`alter table identity_audit_entry disable trigger identity_audit_entry_append_only`.execute(
      app.database.db,
    );
    await sql`update identity_audit_entry set details = '{"lane": "green"}' where seq = ${target.seq}`.execute(
      app.database.db,
    );
    await sql`alter table identity_audit_entry enable trigger identity_audit_entry_append_only`.execute(
      app.database.db,
    );

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ seq: target.seq, problem: 'hash_mismatch' });
    expect(result.entries).toBe(target.seq - 1);
  });

  it('is readable by administrators only', async () => {
    for (const role of ['targeting_analyst', 'xray_analyst', 'inspector', 'data_analyst'] as const) {
      const response = await app.http.inject({
        method: 'GET',
        url: '/api/v1/admin/audit',
        headers: await authHeader(app, role),
      });
      expect(response.statusCode).toBe(403);
    }
    const carrier = await app.http.inject({
      method: 'GET',
      url: '/api/v1/admin/audit/verify',
      headers: await authHeader(app, 'carrier', 'DHL'),
    });
    expect(carrier.statusCode).toBe(403);
    expect((await app.http.inject({ method: 'GET', url: '/api/v1/admin/audit' })).statusCode).toBe(401);
  });
});

describe('npx clearway audit verify', () => {
  it(
    'reports an intact trail, then the entry that was changed, with exit code 1',
    { timeout: 120_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'clearway-audit-cli-'));
      const env = {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      };
      delete (env as Record<string, string | undefined>).DATABASE_URL;
      const cli = (...args: string[]) =>
        run(process.execPath, ['bin/clearway.js', ...args], { env, cwd: process.cwd() });

      const created = await cli('keys', 'create', '--role', 'carrier', '--org', 'DHL');
      expect(created.stdout).toMatch(/^cw_[0-9a-f]{12}_[\w-]{43}\n$/);
      const intact = await cli('audit', 'verify');
      expect(intact.stdout).toMatch(/audit trail intact: 1 entries, head 1:[0-9a-f]{64}/);

      const database = await openDatabase({ embeddedDir: join(dataDir, 'pglite') });
      await sql`alter table identity_audit_entry disable trigger identity_audit_entry_append_only`.execute(
        database.db,
      );
      await sql`update identity_audit_entry set actor = 'someone else' where seq = 1`.execute(database.db);
      await database.close();

      const broken = await cli('audit', 'verify').then(
        () => undefined,
        (error: { code: number; stdout: string }) => error,
      );
      expect(broken?.code).toBe(1);
      expect(broken?.stdout).toMatch(/BROKEN at entry 1/);
    },
  );
});
