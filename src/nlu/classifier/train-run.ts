import type { Intent } from '../../domain/intents.js';
import { cleanText } from '../clean-text.js';
import { classificationReport, formatConfusion, formatPerIntent } from '../metrics.js';
import { expectedCalibrationError } from './calibration.js';
import { isHeldOut, loadBitext, loadExamples, textHash, type LabelledRow } from './dataset.js';
import { classifyIntent } from './intent-classifier.js';
import { logitsOf, softmax, type LinearModel } from './linear-model.js';
import { encodeTextHashes, saveModel, type ModelMetadata } from './model-file.js';
import {
  CLASSES,
  calibrate,
  crossValidate,
  DEFAULT_PIPELINE,
  featurizeRows,
  trainOn,
  type OutOfFold,
} from './training.js';

export type TrainRunOptions = {
  bitextPath: string;
  examplesPath: string;
  outPath: string;
  /** Bitext mappings to train on. */
  mappings: string[];
  folds: number;
  /** Percentage of rows held out (by text hash) and never trained on; 0 = train on all. */
  holdoutPercent: number;
  log: (line: string) => void;
};

type Subset = { name: string; keep: (row: LabelledRow) => boolean; confusion?: boolean };

const SUBSETS: Subset[] = [
  {
    name: 'Bitext clean rows',
    keep: (r) => r.source === 'bitext' && r.mapping === 'clean',
    confusion: true,
  },
  { name: 'Bitext all mappings (alternatives accepted)', keep: (r) => r.source === 'bitext' },
  {
    name: 'our examples (data/nlu/examples.jsonl)',
    keep: (r) => r.source === 'examples',
    confusion: true,
  },
];

function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
  return best;
}

function reportOof(oof: OutOfFold[], temperature: number, log: (l: string) => void) {
  for (const subset of SUBSETS) {
    const sel = oof.filter((o) => subset.keep(o.row));
    if (sel.length === 0) continue;
    const scored = sel.map((o) => {
      const p = softmax(o.logits, temperature);
      const k = argmax(p);
      const predicted = CLASSES[k] ?? 'other';
      return { gold: o.row.intent, predicted, alternatives: o.row.altIntents, conf: p[k] ?? 0 };
    });
    const report = classificationReport(scored, CLASSES);
    const ece = expectedCalibrationError(
      scored.map((s) => s.conf),
      scored.map((s) => s.predicted === s.gold || s.alternatives.includes(s.predicted)),
    );
    log(`\n### ${subset.name}`);
    log(formatPerIntent(report));
    log(`expected calibration error ${ece.toFixed(4)}`);
    if (subset.confusion) log(formatConfusion(report));
  }
}

/** Sub-intent precision/recall on our examples, scored by models that never saw them. */
function subIntentScorer() {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  return {
    score(model: LinearModel, rows: LabelledRow[]) {
      for (const row of rows.filter((r) => r.source === 'examples')) {
        const got = classifyIntent(model, cleanText(row.text)).subIntents;
        tp += got.filter((i) => row.subIntents.includes(i)).length;
        fp += got.filter((i) => !row.subIntents.includes(i)).length;
        fn += row.subIntents.filter((i: Intent) => !got.includes(i)).length;
      }
    },
    summary: () => ({
      precision: tp + fp === 0 ? 0 : Math.round((tp / (tp + fp)) * 1000) / 1000,
      recall: tp + fn === 0 ? 0 : Math.round((tp / (tp + fn)) * 1000) / 1000,
    }),
  };
}

const hashOf = (row: LabelledRow) => textHash(row.text);

export function runTraining(opts: TrainRunOptions): { model: LinearModel; bytes: number } {
  const { log } = opts;
  const started = performance.now();
  const all = [...loadBitext(opts.bitextPath, opts.mappings), ...loadExamples(opts.examplesPath)];
  const holdout =
    opts.holdoutPercent > 0 ? { percent: opts.holdoutPercent, salt: 'holdout-v1' } : undefined;
  const heldOut = (r: LabelledRow) =>
    holdout !== undefined && isHeldOut(r.text, holdout.percent, holdout.salt);
  const rows = all.filter((r) => !heldOut(r));
  const held = all.filter(heldOut);
  const bitextRows = rows.filter((r) => r.source === 'bitext').length;
  log(`training rows: ${rows.length} (bitext ${bitextRows}, examples ${rows.length - bitextRows})`);
  if (holdout) {
    log(`held out (${holdout.percent}% by text hash, never trained on): ${held.length} rows`);
  }

  const data = featurizeRows(rows, DEFAULT_PIPELINE.features, cleanText);
  const subs = subIntentScorer();
  const oof = crossValidate(data, opts.folds, DEFAULT_PIPELINE, (m, rows) => subs.score(m, rows));
  const temperature = calibrate(oof);
  const t = temperature.toFixed(3);
  log(`\n## ${opts.folds}-fold cross-validation (out-of-fold predictions, calibrated T=${t})`);
  reportOof(oof, temperature, log);
  const subIntentCv = subs.summary();
  log(
    `\nsub-intents on multi-request examples (cross-validated): ` +
      `precision ${subIntentCv.precision}, recall ${subIntentCv.recall}`,
  );

  const model = trainOn(data, DEFAULT_PIPELINE);
  model.temperature = temperature;
  if (held.length > 0) {
    log(`\n## held-out rows (model trained without them)`);
    const heldData = featurizeRows(held, model.features, cleanText);
    reportOof(
      heldData.map((d) => ({ row: d.row, y: d.y, logits: logitsOf(model, d.x) })),
      temperature,
      log,
    );
  }
  const meta: ModelMetadata = {
    ...(holdout && { holdout: { ...holdout, trainedTexts: encodeTextHashes(rows.map(hashOf)) } }),
    training: {
      rows: rows.length,
      bitextMappings: opts.mappings,
      folds: opts.folds,
      subIntentCv,
    },
  };
  const bytes = saveModel(opts.outPath, model, meta);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(`\nwrote ${opts.outPath} (${(bytes / 1024).toFixed(0)} KiB) in ${seconds} s`);
  if (holdout) log('hold-out model: run `npm run train` again before committing the model file');
  return { model, bytes };
}
