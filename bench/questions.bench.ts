/**
 * Plain-language questions: execution accuracy per language, coverage, and the precision and recall of
 * refusals and clarifications, for the offline parser against a keyword-matching baseline measured in
 * the same run on the same data (bench/questions/keyword-baseline.ts). The data set is fixed: demo
 * parcels (seed 2026, 2026-11-16..29, through targeting and clearance) and every `--kcs-step`-th row of
 * the KCS files; gold answers come from the raw KCS rows and from hand-written SQL over the owners'
 * tables (bench/questions/question-set.ts), never from the parser, the compiler or the views.
 *
 *   npx tsx bench/questions.bench.ts [--kcs-step 10] [--parcels-per-day 60] [--engine postgres|embedded] [--show-failures]
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createTestApp } from '../test/support/test-app.js';
import { isPostgresAvailable } from '../test/support/test-database.js';
import { loadQuestionData } from '../test/support/question-data.js';
import { systemActor } from '../src/platform/auth/actor.js';
import type { Answer } from '../src/modules/questions/index.js';
import {
  AS_OF,
  questionSet,
  type BenchQuestion,
  type Gold,
  type GoldData,
  type ParcelRow,
} from './questions/question-set.js';
import { keywordBaseline } from './questions/keyword-baseline.js';

const { values: options } = parseArgs({
  options: {
    'kcs-step': { type: 'string', default: '10' },
    'parcels-per-day': { type: 'string', default: '60' },
    engine: { type: 'string' },
    'show-failures': { type: 'boolean', default: false },
  },
});

const engine =
  (options.engine as 'postgres' | 'embedded' | undefined) ??
  ((await isPostgresAvailable()) ? 'postgres' : 'embedded');
const app = await createTestApp(engine);
const started = Date.now();
const kcs = await loadQuestionData(app, {
  kcsStep: Number(options['kcs-step']),
  days: 14,
  parcelsPerDay: Number(options['parcels-per-day']),
  startDate: '2026-11-16',
});
const parcels = await readParcelsForGold();
console.log(
  `data: ${kcs.length} KCS declarations, ${parcels.length} parcels on ${engine}, loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
const data: GoldData = { kcs, parcels };

type System = 'parser' | 'baseline';
interface Outcome {
  status: Answer['status'];
  reason?: string;
  correct: boolean;
}

const questions = questionSet();
const results: Record<System, Map<string, Outcome>> = { parser: new Map(), baseline: new Map() };
const timings: number[] = [];
for (const question of questions) {
  const begin = performance.now();
  const answer = await app.questions.service.ask(systemActor, {
    question: question.question,
    language: question.language,
    asOf: AS_OF,
  });
  timings.push(performance.now() - begin);
  results.parser.set(question.id, judge(question, answer));
  const baseline = keywordBaseline(question.question);
  const baselineAnswer =
    baseline.status === 'answered'
      ? await app.questions.service.ask(systemActor, {
          question: question.question,
          language: question.language,
          asOf: AS_OF,
          query: baseline.query,
        })
      : ({ status: baseline.status, rows: [], columns: [] } as unknown as Answer);
  results.baseline.set(question.id, judge(question, baselineAnswer));
}

report();
await app.close();

// ------------------------------------------------------------------------------------------------

function judge(question: BenchQuestion, answer: Answer): Outcome {
  const expected = question.expect;
  const outcome = { status: answer.status, ...(answer.reason ? { reason: answer.reason } : {}) };
  if (expected.kind === 'refuse') return { ...outcome, correct: answer.status === 'refused' };
  if (expected.kind === 'clarify') return { ...outcome, correct: answer.status === 'clarify' };
  return { ...outcome, correct: answer.status === 'answered' && matchesGold(answer, expected.gold(data)) };
}

function close(a: unknown, b: number | null): boolean {
  if (b === null || a === null || a === undefined) return (a ?? null) === b;
  const value = Number(a);
  return Math.abs(value - b) <= 0.011 + 1e-9 * Math.abs(b);
}

function matchesGold(answer: Answer, gold: Gold): boolean {
  const dimensions = answer.columns.filter((column) => answer.query?.groupBy.includes(column.name as never));
  const measure = answer.columns[dimensions.length];
  if (!measure) return false;
  if (gold.kind === 'single')
    return (
      dimensions.length === 0 && answer.rows.length === 1 && close(answer.rows[0]![measure.name], gold.value)
    );
  if (gold.kind === 'compare') {
    const previous = answer.columns[dimensions.length + 1];
    return (
      dimensions.length === 0 &&
      answer.rows.length === 1 &&
      previous !== undefined &&
      close(answer.rows[0]![measure.name], gold.current) &&
      close(answer.rows[0]![previous.name], gold.previous)
    );
  }
  if (dimensions.length !== 1) return false;
  const key = dimensions[0]!.name;
  const answered = new Map(answer.rows.map((row) => [String(row[key]), row[measure.name]] as const));
  if (gold.top === undefined) {
    return (
      answered.size === gold.values.size &&
      [...gold.values].every(([name, value]) => answered.has(name) && close(answered.get(name), value))
    );
  }
  // A ranking: the same number of rows, each with its gold value, and the values the gold's top ones (ties may swap names).
  const ranked = [...gold.values]
    .filter(([name, value]) => name !== 'null' && value !== null)
    .map(([, value]) => value as number)
    .sort((a, b) => (gold.order === 'asc' ? a - b : b - a))
    .slice(0, gold.top);
  const values = answer.rows.map((row) => Number(row[measure.name]));
  return (
    answer.rows.length === ranked.length &&
    answer.rows.every((row) => close(row[measure.name], gold.values.get(String(row[key])) ?? null)) &&
    values.every((value, index) => close(value, ranked[index]!))
  );
}

function report(): void {
  console.log(
    `\n${questions.length} questions (${questions.filter((q) => q.expect.kind === 'answer').length} answerable), as of ${AS_OF}`,
  );
  const headings = {
    tuned: 'tuned set (written with the parser, its failures fixed):',
    'held-out':
      'held-out phrasings (first scored ko 1.000, en 0.900, fr 0.700; the gaps they showed were then fixed):',
    fresh:
      'fresh set (written last; first scored ko 1.000, en 0.875, fr 0.875, then the one gap it showed was fixed):',
  } as const;
  for (const group of ['tuned', 'held-out', 'fresh'] as const) {
    console.log(`\n${headings[group]}`);
    accuracyTable(questions.filter((q) => q.group === group));
  }
  refusalsAndClarifications();
}

function accuracyTable(subset: BenchQuestion[]): void {
  const ratio = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(3));
  console.log('language  system    n   accuracy  coverage');
  for (const language of ['ko', 'en', 'fr'] as const) {
    const answerable = subset.filter((q) => q.language === language && q.expect.kind === 'answer');
    for (const system of ['parser', 'baseline'] as const) {
      const correct = answerable.filter((q) => results[system].get(q.id)!.correct).length;
      const answered = answerable.filter((q) => results[system].get(q.id)!.status === 'answered').length;
      console.log(
        `${language.padEnd(9)} ${system.padEnd(9)} ${String(answerable.length).padStart(3)}   ${(correct / answerable.length).toFixed(3)}     ${(answered / answerable.length).toFixed(3)}`,
      );
    }
    const parser = answerable.filter((q) => results.parser.get(q.id)!.correct).length;
    const baseline = answerable.filter((q) => results.baseline.get(q.id)!.correct).length;
    console.log(`${language.padEnd(9)} accuracy ratio parser / baseline: ${ratio(parser, baseline)}`);
  }
}

function refusalsAndClarifications(): void {
  const ratio = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(3));
  for (const system of ['parser', 'baseline'] as const) {
    const outcome = (q: BenchQuestion) => results[system].get(q.id)!;
    const refused = questions.filter((q) => outcome(q).status === 'refused');
    const shouldRefuse = questions.filter((q) => q.expect.kind === 'refuse');
    const clarified = questions.filter((q) => outcome(q).status === 'clarify');
    const shouldClarify = questions.filter((q) => q.expect.kind === 'clarify');
    const refusedOf = (reason: string) => {
      const wanted = shouldRefuse.filter((q) => q.expect.kind === 'refuse' && q.expect.reason === reason);
      return `${wanted.filter((q) => outcome(q).status === 'refused').length}/${wanted.length}`;
    };
    console.log(
      `${system.padEnd(9)} refusals: precision ${ratio(refused.filter((q) => q.expect.kind === 'refuse').length, refused.length)}, ` +
        `recall ${ratio(shouldRefuse.filter((q) => outcome(q).status === 'refused').length, shouldRefuse.length)} ` +
        `(data changes ${refusedOf('change')}, personal data ${refusedOf('personal')}, out of scope ${refusedOf('out_of_scope')}); ` +
        `clarifications: precision ${ratio(clarified.filter((q) => q.expect.kind === 'clarify').length, clarified.length)}, ` +
        `recall ${ratio(shouldClarify.filter((q) => outcome(q).status === 'clarify').length, shouldClarify.length)}`,
    );
  }
  timings.sort((a, b) => a - b);
  console.log(
    `parser answer time: median ${timings[Math.floor(timings.length / 2)]!.toFixed(0)} ms, p95 ${timings[Math.floor(timings.length * 0.95)]!.toFixed(0)} ms (parse + check + run)`,
  );
  if (options['show-failures']) {
    for (const question of questions) {
      const outcome = results.parser.get(question.id)!;
      if (!outcome.correct)
        console.log(
          `FAIL ${question.id} [${outcome.status}${outcome.reason ? ` ${outcome.reason}` : ''}] ${question.question}`,
        );
    }
  }
}

async function readParcelsForGold(): Promise<ParcelRow[]> {
  const result = await sql<ParcelRow>`
    select p.channel, carrier.party_key as carrier, p.arrival_date::text as day,
      coalesce(first_line.origin_country, p.sender ->> 'country') as origin,
      substr(first_line.hs_code, 1, 2) as chapter,
      s.lane, s.xray_referral as xray, s.score,
      c.goods_price_krw::float8 as "valueKrw", (c.assessment ->> 'goodsPriceUsd')::float8 as "valueUsd",
      (c.assessment ->> 'dutyKrw')::float8 as duty, (c.assessment ->> 'vatKrw')::float8 as vat,
      c.taxable, c.list_clearance as "listClearance"
    from intake_parcel p
    join intake_party carrier on carrier.id = p.carrier_party_id
    left join lateral (
      select l.origin_country, l.hs_code from intake_declaration d
      join intake_declaration_line l on l.declaration_id = d.id
      where d.parcel_id = p.id order by d.id, l.line_number limit 1) first_line on true
    left join targeting_parcel_state s on s.parcel_id = p.id
    left join clearance_parcel c on c.parcel_id = p.id`.execute(app.database.db);
  return result.rows.map((row) => ({ ...row, score: row.score === null ? null : Number(row.score) }));
}
