import { INTENTS, type Intent } from '../../domain/intents.js';
import { fitTemperature } from './calibration.js';
import { foldOf, type LabelledRow } from './dataset.js';
import { DEFAULT_FEATURES, featurize, type FeatureConfig, type SparseVector } from './features.js';
import { logitsOf, type LinearModel } from './linear-model.js';
import { DEFAULT_TRAIN, trainSoftmax, type TrainOptions, type TrainingExample } from './trainer.js';

export type PipelineOptions = {
  features: FeatureConfig;
  train: TrainOptions;
  /**
   * Class weights are (N / (C · n_c))^balance: 0 = none, 1 = fully balanced. Half-way keeps
   * Bitext's 1,300 general_inquiry rows from drowning the intents only our examples cover.
   */
  balance: number;
  /** Extra weight of our hand-written examples: fewer, but closer to real customer mail. */
  examplesWeight: number;
};

export const DEFAULT_PIPELINE: PipelineOptions = {
  features: DEFAULT_FEATURES,
  train: DEFAULT_TRAIN,
  balance: 0.5,
  examplesWeight: 2,
};

export const CLASSES: Intent[] = [...INTENTS];

type Featurized = { row: LabelledRow; x: SparseVector; y: number };

/** `prepare` turns the raw message into what the classifier sees at run time (cleaned text). */
export function featurizeRows(
  rows: LabelledRow[],
  features: FeatureConfig,
  prepare: (text: string) => string = (t) => t,
): Featurized[] {
  return rows.map((row) => ({
    row,
    x: featurize(prepare(row.text), features),
    y: CLASSES.indexOf(row.intent),
  }));
}

function toExamples(data: Featurized[], opts: PipelineOptions): TrainingExample[] {
  const counts = new Map<number, number>();
  for (const d of data) counts.set(d.y, (counts.get(d.y) ?? 0) + 1);
  const present = counts.size;
  return data.map((d) => {
    const classWeight = (data.length / (present * (counts.get(d.y) ?? 1))) ** opts.balance;
    const sourceWeight = d.row.source === 'examples' ? opts.examplesWeight : 1;
    return { x: d.x, y: d.y, weight: classWeight * sourceWeight };
  });
}

export function trainOn(data: Featurized[], opts: PipelineOptions = DEFAULT_PIPELINE): LinearModel {
  return trainSoftmax(toExamples(data, opts), CLASSES, opts.features, opts.train);
}

export type OutOfFold = { row: LabelledRow; logits: Float64Array; y: number };

/** k-fold cross-validation: every row gets logits from a model that never saw it. */
export function crossValidate(
  data: Featurized[],
  k: number,
  opts: PipelineOptions = DEFAULT_PIPELINE,
  /** Called with each fold's model and the rows it did not see (e.g. to score sub-intents). */
  onFold?: (model: LinearModel, unseen: LabelledRow[]) => void,
): OutOfFold[] {
  const folds = data.map((d) => foldOf(d.row.text, k));
  const out: OutOfFold[] = [];
  for (let fold = 0; fold < k; fold++) {
    const model = trainOn(
      data.filter((_, i) => folds[i] !== fold),
      opts,
    );
    const unseen: LabelledRow[] = [];
    data.forEach((d, i) => {
      if (folds[i] !== fold) return;
      out.push({ row: d.row, logits: logitsOf(model, d.x), y: d.y });
      unseen.push(d.row);
    });
    onFold?.(model, unseen);
  }
  return out;
}

/**
 * Temperature fitted on out-of-fold logits (see calibration.ts). Each source weighs half:
 * templated Bitext rows are easy and would otherwise make the model sound surer than it is on
 * real customer mail, which our examples resemble.
 */
export function calibrate(oof: OutOfFold[]): number {
  const perSource = new Map<string, number>();
  for (const o of oof) perSource.set(o.row.source, (perSource.get(o.row.source) ?? 0) + 1);
  const weights = oof.map(
    (o) => oof.length / (perSource.size * (perSource.get(o.row.source) ?? 1)),
  );
  return fitTemperature(
    oof.map((o) => o.logits),
    oof.map((o) => o.y),
    weights,
  );
}
