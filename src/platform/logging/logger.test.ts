import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function captured(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}

describe('logger', () => {
  it('masks personal data in every record, messages and database errors included', () => {
    const { logger, lines } = captured('info');
    const databaseError = Object.assign(new Error('duplicate key value P123456789012'), {
      code: '23505',
      table: 'intake_parcel',
      detail: 'Key (pccc)=(P123456789012) already exists.',
      params: ['Kim Minji', '123 Teheran-ro', 'kim@mail.example', '010-1234-5678'],
    });
    logger.error(
      { err: databaseError, consignee: { name: 'Kim Minji', phone: '010-1234-5678' } },
      'for kim@mail.example',
    );
    // PGlite throws plain objects, not Error instances.
    logger.error({ err: { message: 'failed', code: '22021', params: ['Kim Minji'], stack: 'x' } }, 'plain');
    logger.info({ req: { id: '1', method: 'GET', url: '/api/v1/parcels?pccc=P123456789012' } }, 'request');
    // Percent-encoded addresses, and names under a personal parameter, are masked in URLs too.
    logger.info(
      { req: { id: '2', method: 'GET', url: '/api/v1/parcels?q=kim%40mail.example&name=Kim%20Minji' } },
      'request',
    );
    const log = lines.join('');
    for (const secret of [
      'Kim Minji',
      'Kim%20Minji',
      'Teheran',
      'kim@mail.example',
      'kim%40mail',
      '010-1234-5678',
      'P123456789012',
    ])
      expect(log, secret).not.toContain(secret);
    expect(JSON.parse(lines[0]!).err).toEqual({
      type: 'Error',
      message: 'duplicate key value P12********12',
      code: '23505',
      table: 'intake_parcel',
    });
  });

  it("masks the values PostgreSQL's data exceptions quote, in the message and the stack", () => {
    const { logger, lines } = captured('debug');
    const refused = Object.assign(new Error('invalid input syntax for type numeric: "Park Seoyeon"'), {
      code: '22P02',
    });
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint "intake_pk"'), {
      code: '23505',
    });
    logger.error({ err: refused }, 'refused');
    logger.error({ err: duplicate }, 'duplicate');
    expect(lines.join('')).not.toContain('Park Seoyeon');
    expect(JSON.parse(lines[0]!).err.message).toBe('invalid input syntax for type numeric: "***"');
    expect(JSON.parse(lines[0]!).err.stack).toContain('"***"');
    // Other classes quote names of relations and constraints, which say where it failed.
    expect(JSON.parse(lines[1]!).err.message).toContain('"intake_pk"');
  });

  it('writes stack traces at debug level only', () => {
    const quiet = captured('error');
    quiet.logger.error({ err: new Error('boom') }, 'failed');
    expect(quiet.lines.join('')).not.toContain('"stack"');
    const verbose = captured('debug');
    verbose.logger.error({ err: new Error('boom') }, 'failed');
    expect(verbose.lines.join('')).toContain('"stack"');
  });
});
