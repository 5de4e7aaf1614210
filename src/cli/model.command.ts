import { readFile, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import { readKcsDeclarations, type KcsDeclaration } from '../modules/intake/index.js';
import {
  assessDeclarations,
  DEFAULT_EXPLORATION_SHARE,
  driftOfDeclarations,
  evaluateRanking,
  riskDeclarationFromKcs,
  riskLabelFromKcs,
  riskModelFromJson,
  riskModelToJson,
  scoreDeclarationsWithCritical,
  simulateTargeting,
  trainRiskModel,
  type ExplorationStrategy,
  type LabelledRiskDeclaration,
  type RiskModel,
} from '../modules/risk/index.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const collect = (value: string, previous: string[] = []) => [...previous, value];
const integer = (value: string) => {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed)) throw new Error(`not an integer: ${value}`);
  return parsed;
};
const decimal = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`not a number: ${value}`);
  return parsed;
};

/** Runs a command's action; a failure prints one line (no stack trace) and a non-zero exit status. */
function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      log(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  };
}

/** Reads KCS files, reporting (not failing on) invalid records so one bad row does not stop a run. */
async function readKcsFiles(paths: readonly string[]): Promise<KcsDeclaration[]> {
  const declarations: KcsDeclaration[] = [];
  let invalid = 0;
  for (const path of paths) {
    for await (const record of readKcsDeclarations(path)) {
      if (record.ok) {
        declarations.push(record.value);
      } else {
        invalid++;
        if (invalid <= 5)
          for (const error of record.errors)
            log(
              `${path}:${error.line ?? record.line}: ${error.path}: ${error.message} (${String(error.value)})`,
            );
      }
    }
  }
  if (invalid > 0) log(`skipped ${invalid} invalid record(s)`);
  return declarations;
}

function labelled(declarations: readonly KcsDeclaration[], purpose: string): LabelledRiskDeclaration[] {
  const rows: LabelledRiskDeclaration[] = [];
  for (const kcs of declarations) {
    const label = riskLabelFromKcs(kcs);
    if (label) rows.push({ declaration: riskDeclarationFromKcs(kcs), label });
  }
  if (rows.length === 0)
    throw new Error(`${purpose} needs labelled declarations (Fraud and Critical Fraud columns)`);
  if (rows.length < declarations.length)
    log(`${declarations.length - rows.length} unlabelled declaration(s) ignored for ${purpose}`);
  return rows;
}

function assertKcsFormat(format: string): void {
  if (format !== 'kcs') throw new Error(`--format ${format} is not supported (supported: kcs)`);
}

/** A progress bar on a terminal, nothing otherwise (logs and pipes stay clean). */
function progressBar(label: string): {
  update(value: number, total: number, payload?: Record<string, string>): void;
  stop(): void;
} {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {info}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(value, total, payload = {}) {
      if (!started) {
        bar.start(total, value, { info: '', ...payload });
        started = true;
      }
      bar.setTotal(total);
      bar.update(value, { info: '', ...payload });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

async function loadModel(path: string): Promise<RiskModel> {
  return riskModelFromJson(JSON.parse(await readFile(path, 'utf8')));
}

/** `clearway model ...`: train, evaluate, score and simulate risk models. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('risk models: train, evaluate, score, simulate');

  model
    .command('train')
    .description('train a fraud risk model (gradient-boosted trees) from labelled declarations')
    .option('--format <format>', 'input format', 'kcs')
    .requiredOption('--data <csv>', 'labelled declarations (repeat for several files)', collect)
    .requiredOption('--out <model>', 'model file to write (.json)')
    .option('--seed <n>', 'random seed', integer, 42)
    .option('--max-trees <n>', 'upper bound on trees (early stopping picks the number)', integer)
    .option(
      '--validation-share <share>',
      'latest share of the training window used for early stopping',
      decimal,
    )
    .action(
      guarded(
        async (options: {
          format: string;
          data: string[];
          out: string;
          seed: number;
          maxTrees?: number;
          validationShare?: number;
        }) => {
          assertKcsFormat(options.format);
          const rows = labelled(await readKcsFiles(options.data), 'training');
          const bar = progressBar('training');
          const started = performance.now();
          const trained = trainRiskModel(rows, {
            params: {
              seed: options.seed,
              ...(options.maxTrees === undefined ? {} : { maxTrees: options.maxTrees }),
            },
            ...(options.validationShare === undefined ? {} : { validationShare: options.validationShare }),
            onProgress: (p) =>
              bar.update(p.tree, p.maxTrees, {
                info: `${p.label} model, ${p.phase === 'refit' ? 'refit on all rows' : `validation loss ${p.validLoss?.toFixed(4) ?? ''}`}`,
              }),
          });
          bar.stop();
          await writeFile(options.out, JSON.stringify(riskModelToJson(trained)));
          const seconds = (performance.now() - started) / 1000;
          const critical =
            trained.info.criticalTrees === undefined
              ? 'no critical-fraud model (too few cases)'
              : `critical-fraud model ${trained.info.criticalTrees} trees`;
          log(
            `trained on ${trained.info.trainingRows} declarations (${trained.info.trainedFrom} .. ${trained.info.trainedTo}), fraud model ${trained.info.trees} trees, ${critical}, ${seconds.toFixed(1)} s -> ${options.out}`,
          );
        },
      ),
    );

  model
    .command('evaluate')
    .description(
      'precision and recall of the top n % scored declarations (n = 1, 2, 5, 10), fraud and critical fraud',
    )
    .requiredOption('--model <model>', 'model file')
    .requiredOption('--data <csv>', 'labelled declarations to evaluate on (repeatable)', collect)
    .option('--format <format>', 'input format', 'kcs')
    .option('--json', 'print one JSON object', false)
    .action(
      guarded(async (options: { model: string; data: string[]; format: string; json: boolean }) => {
        assertKcsFormat(options.format);
        const trained = await loadModel(options.model);
        const rows = labelled(await readKcsFiles(options.data), 'evaluation');
        const { fraud: scores, critical: criticalScores } = scoreDeclarationsWithCritical(
          trained,
          rows.map((r) => r.declaration),
        );
        const report = evaluateRanking(
          scores,
          rows.map((r) => (r.label.fraud ? 1 : 0)),
          rows.map((r) => (r.label.critical ? 1 : 0)),
          undefined,
          criticalScores,
        );
        const drift = driftOfDeclarations(
          trained,
          rows.map((r) => r.declaration),
          scores,
        ).map((d) => ({ ...d, psi: Math.round(d.psi * 10000) / 10000 }));
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...report, drift })}\n`);
          return;
        }
        const table = report;
        process.stdout.write(
          `declarations ${table.rows}, frauds ${table.frauds}, critical ${table.critical_frauds}, AUC ${table.auc}\n`,
        );
        if (criticalScores) process.stdout.write('critical columns rank by the critical-fraud model\n');
        process.stdout.write('top n %   precision  recall   critical precision  critical recall\n');
        for (const n of Object.keys(table.precision_at)) {
          process.stdout.write(
            `${n.padStart(7)} %  ${table.precision_at[n].toFixed(3).padStart(9)}  ${table.recall_at[n].toFixed(3).padStart(6)}   ${table.critical_precision_at[n].toFixed(3).padStart(18)}  ${table.critical_recall_at[n].toFixed(3).padStart(15)}\n`,
          );
        }
        if (drift.length > 0) {
          process.stdout.write(
            `drift against the training window (PSI): ${drift.map((d) => `${d.feature} ${d.psi.toFixed(3)}${d.level === 'stable' ? '' : ` ${d.level.toUpperCase()}`}`).join(', ')}\n`,
          );
        }
      }),
    );

  model
    .command('score')
    .description('score declarations and write risk scores with their main reasons to a CSV file')
    .requiredOption('--model <model>', 'model file')
    .requiredOption('--data <csv>', 'declarations to score (repeatable; labels not needed)', collect)
    .requiredOption('--out <csv>', 'scores file to write')
    .option('--format <format>', 'input format', 'kcs')
    .option('--reasons <n>', 'reasons per declaration (0: scores only, much faster)', integer, 3)
    .action(
      guarded(
        async (options: { model: string; data: string[]; out: string; format: string; reasons: number }) => {
          assertKcsFormat(options.format);
          const trained = await loadModel(options.model);
          const declarations = await readKcsFiles(options.data);
          const riskDeclarations = declarations.map(riskDeclarationFromKcs);
          const output = createWriteStream(options.out);
          const columns = [
            'declaration_id',
            'score',
            'rank',
            'critical_score',
            ...Array.from({ length: options.reasons }, (_, i) => `reason_${i + 1}`),
          ];
          const csv = stringify({ header: true, columns });
          csv.pipe(output);
          const { fraud: scores, critical: criticalScores } = scoreDeclarationsWithCritical(
            trained,
            riskDeclarations,
          );
          const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b);
          const rank = new Uint32Array(scores.length);
          order.forEach((index, position) => (rank[index] = position + 1));
          const bar = progressBar('scoring');
          const chunk = 500;
          for (let start = 0; start < riskDeclarations.length; start += chunk) {
            const slice = riskDeclarations.slice(start, start + chunk);
            const assessments =
              options.reasons > 0 ? assessDeclarations(trained, slice, options.reasons) : null;
            for (let i = 0; i < slice.length; i++) {
              const index = start + i;
              const reasons = assessments ? assessments[i].reasons.map((r) => r.text) : [];
              while (reasons.length < options.reasons) reasons.push('');
              if (
                !csv.write([
                  declarations[index].declarationId,
                  scores[index].toFixed(6),
                  rank[index],
                  criticalScores ? criticalScores[index].toFixed(6) : '',
                  ...reasons,
                ])
              )
                await once(csv, 'drain');
            }
            bar.update(Math.min(start + chunk, riskDeclarations.length), riskDeclarations.length);
          }
          bar.stop();
          csv.end();
          await once(output, 'finish');
          log(`scored ${declarations.length} declarations -> ${options.out}`);
        },
      ),
    );

  model
    .command('simulate')
    .description(
      'replay history week by week: train on what was inspected, inspect the top n % plus exploration, reveal only those labels',
    )
    .option('--format <format>', 'input format', 'kcs')
    .requiredOption('--data <csv>', 'labelled declarations, replayed in date order (repeatable)', collect)
    .option('--budget <percent>', 'share of each week that can be inspected, in percent', decimal, 5)
    .option('--weeks <n>', 'weeks to replay (default: all)', integer)
    .option(
      '--exploration <share>',
      'share of the budget for exploration picks',
      decimal,
      DEFAULT_EXPLORATION_SHARE,
    )
    .option('--strategy <strategy>', 'exploration picks: random or uncertainty', 'random')
    .option('--seed <n>', 'random seed', integer, 42)
    .option('--json', 'print one JSON object', false)
    .action(
      guarded(
        async (options: {
          format: string;
          data: string[];
          budget: number;
          weeks?: number;
          exploration: number;
          strategy: string;
          seed: number;
          json: boolean;
        }) => {
          assertKcsFormat(options.format);
          if (options.strategy !== 'random' && options.strategy !== 'uncertainty')
            throw new Error('--strategy must be random or uncertainty');
          const rows = labelled(await readKcsFiles(options.data), 'simulation');
          const bar = progressBar('simulating weeks');
          const report = simulateTargeting(rows, {
            budgetPercent: options.budget,
            ...(options.weeks === undefined ? {} : { weeks: options.weeks }),
            explorationShare: options.exploration,
            strategy: options.strategy as ExplorationStrategy,
            seed: options.seed,
            onWeek: (week, total) =>
              bar.update(week.week, total, { info: `precision ${week.precision.toFixed(2)}` }),
          });
          bar.stop();
          if (options.json) {
            process.stdout.write(`${JSON.stringify(report)}\n`);
            return;
          }
          process.stdout.write(
            'week  from        declarations  inspected  frauds  critical  precision  score-precision  explored-frauds  recall  trained-on\n',
          );
          for (const w of report.weeks) {
            process.stdout.write(
              `${String(w.week).padStart(4)}  ${w.from}  ${String(w.declarations).padStart(12)}  ${String(w.inspected).padStart(9)}  ${String(w.fraudsDetected).padStart(6)}  ${String(w.criticalDetected).padStart(8)}  ${w.precision.toFixed(3).padStart(9)}  ${(Number.isNaN(w.scorePrecision) ? '-' : w.scorePrecision.toFixed(3)).padStart(15)}  ${String(w.explorationFrauds).padStart(15)}  ${w.recall.toFixed(3).padStart(6)}  ${String(w.trainedOn).padStart(10)}\n`,
            );
          }
          const t = report.totals;
          process.stdout.write(
            `total: ${t.inspected} inspected of ${t.declarations}, ${t.fraudsDetected} frauds (${t.criticalDetected} critical), precision ${t.precision.toFixed(3)}, recall ${t.recall.toFixed(3)}\n`,
          );
        },
      ),
    );
}
