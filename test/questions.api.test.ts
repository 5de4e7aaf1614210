import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clearway } from '../src/main.js';
import { createQuestionsModule } from '../src/modules/questions/index.js';
import { systemActor } from '../src/platform/auth/actor.js';
import { availableEngines } from './support/test-database.js';
import { authHeader, createTestApp } from './support/test-app.js';
import { loadQuestionData, type KcsRow } from './support/question-data.js';

const AS_OF = '2026-11-29';
const engines = await availableEngines();

/** Questions end to end on both engines; gold answers come from the KCS file itself or hand-written SQL. */
describe.each(engines)('questions in plain language on %s', (engine) => {
  let app: Clearway;
  let kcs: KcsRow[];
  let analyst: { authorization: string };
  let dhl: { authorization: string };
  const ask = async (headers: Record<string, string>, body: Record<string, unknown>) =>
    app.http.inject({ method: 'POST', url: '/api/v1/questions', headers, payload: { asOf: AS_OF, ...body } });

  beforeAll(async () => {
    app = await createTestApp(engine);
    kcs = await loadQuestionData(app, { kcsStep: 40, days: 4, parcelsPerDay: 30, startDate: '2026-11-23' });
    analyst = await authHeader(app, 'data_analyst');
    dhl = await authHeader(app, 'carrier', 'DHL');
  }, 240_000);
  afterAll(async () => app?.close());

  it('answers in English with the count the KCS file holds, the SQL, and a big number', async () => {
    const response = await ask(analyst, { question: 'How many declarations from China in March 2020?' });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    const gold = kcs.filter((row) => row.origin === 'CN' && row.date.startsWith('2020-03')).length;
    expect(answer).toMatchObject({ status: 'answered', rows: [{ count: gold }], chart: { kind: 'number' } });
    expect(answer.sql).toMatch(/^select count\(\*\)/);
    expect(answer.understood).toContain('China');
  });

  it('answers in Korean with fraud rates per origin as a bar of percentages', async () => {
    const answer = (await ask(analyst, { question: '2020년 상반기 국가별 부정률' })).json();
    expect(answer.status).toBe('answered');
    expect(answer.chart.kind).toBe('percent-bar');
    expect(answer.understood).toContain('원산지');
    const firstHalf = kcs.filter((row) => row.date >= '2020-01-01' && row.date <= '2020-06-30');
    const china = firstHalf.filter((row) => row.origin === 'CN');
    const gold = Math.round((10000 * china.filter((row) => row.fraud).length) / china.length) / 100;
    const row = answer.rows.find((candidate: { origin: string }) => candidate.origin === 'CN');
    expect(row.fraud_rate_percent).toBeCloseTo(gold, 2);
  });

  it('answers in French with the sellers that have the most frauds, typos and accents included', async () => {
    const answer = (
      await ask(analyst, { question: 'quels vendeurs ont le plus de fraudes en 2020 ?' })
    ).json();
    expect(answer.status).toBe('answered');
    const counts = new Map<string, number>();
    for (const row of kcs) {
      if (row.fraud && row.seller && row.date.startsWith('2020'))
        counts.set(row.seller, (counts.get(row.seller) ?? 0) + 1);
    }
    const top = Math.max(...counts.values());
    expect(answer.rows[0].count).toBe(top);
    expect(counts.get(answer.rows[0].seller)).toBe(top);
    const typo = (await ask(analyst, { question: 'combein de déclarations de Chine en mars 2020' })).json();
    expect(typo.rows[0].count).toBe(
      kcs.filter((row) => row.origin === 'CN' && row.date.startsWith('2020-03')).length,
    );
  });

  it('counts parcels by day as a line, equal to hand-written SQL over intake', async () => {
    const answer = (await ask(analyst, { question: 'parcels per day this week' })).json();
    expect(answer.chart.kind).toBe('line');
    const gold = await sql<{ day: string; count: number }>`
      select arrival_date::text as day, count(*)::int as count from intake_parcel
      where arrival_date between '2026-11-23' and '2026-11-29' group by 1 order by 1`.execute(
      app.database.db,
    );
    expect(answer.rows).toEqual(gold.rows);
  });

  it('refuses changes and personal data, asks back when the period is vague', async () => {
    for (const question of [
      'delete all parcels from China',
      '중국발 물품 모두 삭제해줘',
      'supprime les colis de Chine',
    ]) {
      expect((await ask(analyst, { question })).json()).toMatchObject({
        status: 'refused',
        reason: 'change',
      });
    }
    for (const question of ["list every buyer's PCCC and address", '구매자 주소와 전화번호 알려줘']) {
      expect((await ask(analyst, { question })).json()).toMatchObject({
        status: 'refused',
        reason: 'personal',
      });
    }
    const vague = (await ask(analyst, { question: 'recent fraud rate' })).json();
    expect(vague.status).toBe('clarify');
    expect(vague.choices).toHaveLength(3);
  });

  it('re-runs the corrected understanding (another period) and exports it as CSV', async () => {
    const first = (await ask(analyst, { question: 'number of declarations in January 2020' })).json();
    const corrected = { ...first.query, period: { from: '2020-02-01', to: '2020-02-29' } };
    const second = (
      await ask(analyst, { question: 'number of declarations in January 2020', query: corrected })
    ).json();
    expect(second.source).toBe('correction');
    expect(second.rows[0].count).toBe(kcs.filter((row) => row.date.startsWith('2020-02')).length);
    const csv = await app.http.inject({
      method: 'POST',
      url: '/api/v1/questions/export',
      headers: analyst,
      payload: { question: 'declarations by origin in 2020', language: 'fr', asOf: AS_OF },
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toContain('origine');
  });

  it('limits a carrier to its own parcels and keeps others out', async () => {
    const answer = (await ask(dhl, { question: 'parcels by carrier' })).json();
    expect(answer.rows.map((row: { carrier: string }) => row.carrier)).toEqual(['DHL']);
    expect(answer.sql).toContain("in ('DHL')");
    const consumer = await app.identity.service.createApiKey('agency', { organisation: 'MFDS' });
    const denied = await ask(
      { authorization: `Bearer ${consumer.token}` },
      { question: 'parcels by carrier' },
    );
    expect(denied.statusCode).toBe(403);
  });

  it('names the field of a bad request and audits every question', async () => {
    const missing = await app.http.inject({
      method: 'POST',
      url: '/api/v1/questions',
      headers: analyst,
      payload: {},
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('question');
    const badQuery = await ask(analyst, { question: 'x', query: { subject: 'buyers' } });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.body).toContain('query.subject');
    const trail = await app.identity.audit.list(systemActor, { action: 'questions.asked', limit: 200 });
    expect(
      trail.some((entry) => entry.details.status === 'refused' && entry.details.reason === 'change'),
    ).toBe(true);
  });

  it('saves favourites and shares them with other officers only', async () => {
    const answer = (await ask(analyst, { question: 'parcels by lane' })).json();
    const saved = await app.http.inject({
      method: 'POST',
      url: '/api/v1/questions/favourites',
      headers: analyst,
      payload: {
        name: 'Lanes',
        question: 'parcels by lane',
        language: 'en',
        query: answer.query,
        shared: true,
      },
    });
    expect(saved.statusCode).toBe(201);
    const inspector = await authHeader(app, 'inspector');
    const listed = (
      await app.http.inject({ method: 'GET', url: '/api/v1/questions/favourites', headers: inspector })
    ).json();
    expect(listed.favourites.map((favourite: { name: string }) => favourite.name)).toContain('Lanes');
    const carrierList = (
      await app.http.inject({ method: 'GET', url: '/api/v1/questions/favourites', headers: dhl })
    ).json();
    expect(carrierList.favourites).toEqual([]);
  });

  it('runs only inside a read-only transaction', async () => {
    const { QuestionsRepository } = await import('../src/modules/questions/questions.repository.js');
    const repository = new QuestionsRepository(app.database);
    await expect(
      repository.runReadOnly('delete from questions_favourite', { timeoutMs: 1000, rowCap: 10 }),
    ).rejects.toThrow(/read-only/);
  });
});

describe('questions with an OpenAI-compatible language model', () => {
  let app: Clearway;
  let server: Server;
  let requests = 0;

  beforeAll(async () => {
    // A tiny local model server: it answers every question with the same structured query.
    server = createServer((request, response) => {
      requests++;
      request.resume();
      request.on('end', () => {
        const query = {
          subject: 'parcels',
          measure: { aggregate: 'count' },
          groupBy: ['channel'],
          filters: [],
          amounts: [],
        };
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify(query) } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    app = await createTestApp('embedded');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fills the structured query through the same checks, and the parser still refuses first', async () => {
    const { port } = server.address() as AddressInfo;
    const { service } = createQuestionsModule({
      database: app.database,
      audit: app.identity.audit,
      languageModel: { url: `http://127.0.0.1:${port}/v1`, model: 'tiny', timeoutMs: 2000 },
    });
    const answer = await service.ask(systemActor, { question: 'how do the channels compare?', asOf: AS_OF });
    expect(answer).toMatchObject({
      status: 'answered',
      source: 'language_model',
      query: { groupBy: ['channel'] },
    });
    expect(answer.sql).toContain('p.channel');
    const refused = await service.ask(systemActor, { question: 'drop table intake_parcel' });
    expect(refused).toMatchObject({ status: 'refused', reason: 'change' });
    expect(requests).toBe(1);

    const unreachable = createQuestionsModule({
      database: app.database,
      audit: app.identity.audit,
      languageModel: { url: 'http://127.0.0.1:9/v1', model: 'none', timeoutMs: 500 },
    });
    const fallback = await unreachable.service.ask(systemActor, { question: 'parcels by lane', asOf: AS_OF });
    expect(fallback).toMatchObject({ status: 'answered', source: 'parser' });
  });
});
