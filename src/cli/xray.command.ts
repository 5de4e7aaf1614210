import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  classifyCrop,
  classifyMaterials,
  decodeScan,
  defaultEpochs,
  detectThreats,
  evaluateThreatModel,
  farSplitSides,
  listLabelledImages,
  loadThreatModel,
  renderAnnotated,
  torchInstallLine,
  trainThreatModel,
  type TrainingEngine,
} from '../modules/xray/index.js';

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** `clearway xray ...`: train, classify, detect and evaluate X-ray threat recognition. */
export function registerXrayCommands(program: Command): void {
  const xray = program
    .command('xray')
    .description('X-ray threat recognition: train, classify, detect, evaluate');

  xray
    .command('train')
    .description(
      'train the threat model (crop classifier, calibrated thresholds, scan detector) from <data>/<label>/<image> folders (label "other" = no threat)',
    )
    .requiredOption('--data <dir>', 'folder of class folders, e.g. train/{gun,shuriken,razor_blade,other}')
    .requiredOption('--out <dir>', 'folder to write threat-model.json and its ONNX files to')
    .option(
      '--scans <dir>',
      'xray-samples folder with boxed GDXray baggage scans: hard negatives for the classifier, real scans for the detector',
    )
    .option(
      '--engine <engine>',
      `auto (torch when ${torchInstallLine.split('&& ')[1]} is done, else hog), torch (CNN alone), ensemble (CNN + HOG) or hog (pure TypeScript)`,
      'auto',
    )
    .option(
      '--split <split>',
      "none (all crops) or far (train on the far split's training side, for benchmarks)",
      'none',
    )
    .option('--seed <n>', 'random seed', (value) => Number.parseInt(value, 10), 7)
    .option(
      '--epochs <n>',
      `classifier epochs (CNN ${defaultEpochs.cnn}, HOG ${defaultEpochs.hog} by default)`,
      (value) => Number.parseInt(value, 10),
    )
    .option('--detector-epochs <n>', 'detector epochs (default 40)', (value) => Number.parseInt(value, 10))
    .option(
      '--keep-detector <manifest>',
      "keep this model's scan detector and its scan threshold instead of training one",
    )
    .option(
      '--work <dir>',
      "keep the Python steps' data and ONNX files here; steps already trained there are reused",
    )
    .option(
      '--prepare-only',
      'only write the Python steps and <work>/steps.sh (to train them on another machine), then stop',
      false,
    )
    .action(
      async (options: {
        data: string;
        out: string;
        scans?: string;
        engine: string;
        split: string;
        seed: number;
        epochs?: number;
        detectorEpochs?: number;
        keepDetector?: string;
        work?: string;
        prepareOnly: boolean;
      }) => {
        if (options.prepareOnly && !options.work) throw new Error('--prepare-only needs --work <dir>');
        if (!['auto', 'ensemble', 'torch', 'hog'].includes(options.engine))
          throw new Error(`--engine must be auto, ensemble, torch or hog, not ${options.engine}`);
        if (!['none', 'far'].includes(options.split))
          throw new Error(`--split must be none or far, not ${options.split}`);
        const split =
          options.split === 'far'
            ? {
                name: 'far split, training side',
                train: farSplitSides(await listLabelledImages(options.data)).map((side) => side === 'train'),
              }
            : undefined;
        const result = await trainThreatModel({
          dataDir: options.data,
          scansDir: options.scans,
          out: options.out,
          engine: options.engine as TrainingEngine,
          split,
          seed: options.seed,
          epochs: options.epochs,
          detectorEpochs: options.detectorEpochs,
          keepDetector: options.keepDetector,
          workDir: options.work,
          prepareOnly: options.prepareOnly,
          command: `npx clearway ${process.argv.slice(2).join(' ')}`,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(`${JSON.stringify(result)}\n`);
      },
    );

  xray
    .command('classify')
    .description('name the object in each crop image')
    .argument('<images...>', 'crop images (PNG, JPEG, TIFF, WebP)')
    .option('--model <path>', 'model manifest or .onnx with labels (default: the bundled model)')
    .option('--json', 'print JSON', false)
    .option('--no-tta', 'skip averaging over four poses (faster)')
    .action(async (images: string[], options: { model?: string; json: boolean; tta: boolean }) => {
      const model = await loadThreatModel(options.model);
      const results = [];
      for (const path of images) {
        const classification = await classifyCrop(await decodeScan(await readFile(path)), model, {
          testTimeAugmentation: options.tta,
        });
        results.push({ image: path, ...classification });
        if (!options.json)
          process.stdout.write(
            `${path}\t${classification.label}\t${classification.score.toFixed(3)}${classification.isThreat ? '\tTHREAT' : ''}\n`,
          );
      }
      if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      await model.dispose();
    });

  xray
    .command('detect')
    .description('find threats in a full scan; optionally write an annotated PNG')
    .argument('<image>', 'scan image (grey or pseudo-colour; the high-energy image of a dual-energy pair)')
    .option(
      '--model <path>',
      'model manifest or .onnx (a classifier is run over windows, a YOLO-style detector as is)',
    )
    .option('--out <png>', 'write the scan with boxes, names and scores')
    .option(
      '--materials',
      'tint material classes (orange organic, green inorganic, blue metal) in the PNG',
      false,
    )
    .option(
      '--low-energy <image>',
      'low-energy image of a dual-energy pair (material classes from the energy ratio)',
    )
    .option('--threshold <score>', 'smallest threat probability to report', Number.parseFloat)
    .option('--json', 'print boxes and material summary as JSON', false)
    .action(
      async (
        image: string,
        options: {
          model?: string;
          out?: string;
          materials: boolean;
          lowEnergy?: string;
          threshold?: number;
          json: boolean;
        },
      ) => {
        const model = await loadThreatModel(options.model);
        const scan = await decodeScan(await readFile(image));
        const lowEnergy = options.lowEnergy ? await decodeScan(await readFile(options.lowEnergy)) : undefined;
        const result = await detectThreats(scan, { model, lowEnergy, scoreThreshold: options.threshold });
        if (options.out) {
          const overlay = options.materials ? classifyMaterials(scan, lowEnergy) : false;
          await writeFile(
            options.out,
            await renderAnnotated(scan, result.boxes, { materialOverlay: overlay }),
          );
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ image, ...result }, null, 2)}\n`);
        } else {
          process.stdout.write(`${image}: ${result.boxes.length} threat(s) in ${result.elapsedMs} ms\n`);
          for (const box of result.boxes)
            process.stdout.write(
              `  ${box.label} ${box.score.toFixed(2)} at ${box.x},${box.y} ${box.width}x${box.height}\n`,
            );
          const { fractions } = result.materials;
          process.stdout.write(
            `  materials (${result.materials.source}): organic ${percent(fractions.organic)}, inorganic ${percent(fractions.inorganic)}, metal ${percent(fractions.metal)}; ${result.materials.metalRegions.length} metal region(s)\n`,
          );
          if (options.out) process.stdout.write(`  annotated image: ${options.out}\n`);
        }
        await model.dispose();
      },
    );

  xray
    .command('evaluate')
    .description('score a model on <data>/<label>/<image> folders; prints one JSON object')
    .requiredOption(
      '--data <dir>',
      'folder of class folders; folder names are the true labels, "other" = no threat',
    )
    .option('--model <path>', 'model manifest or .onnx (default: the bundled model)')
    .option(
      '--split <split>',
      "all (every crop) or far (only the far split's test side: the last fifth of every series, for a model trained with --split far)",
      'all',
    )
    .option('--no-tta', 'skip averaging over four poses')
    .option('--json', 'print JSON (the only output format; accepted for symmetry)', true)
    .action(async (options: { data: string; model?: string; split: string; tta: boolean }) => {
      if (!['all', 'far'].includes(options.split))
        throw new Error(`--split must be all or far, not ${options.split}`);
      const model = await loadThreatModel(options.model);
      const all = await listLabelledImages(options.data);
      const sides = farSplitSides(all);
      const images = options.split === 'far' ? all.filter((_, index) => sides[index] === 'test') : all;
      const { predictions, ...report } = await evaluateThreatModel(model, images, options.tta);
      const errors = predictions.filter((prediction) => prediction.truth !== prediction.predicted);
      process.stdout.write(`${JSON.stringify({ ...report, errors })}\n`);
      await model.dispose();
    });
}
