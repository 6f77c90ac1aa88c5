import type { Intent } from '../../domain/intents.js';
import type { FeatureConfig, SparseVector } from './features.js';
import { emptyModel, logitsOf, softmax, type LinearModel } from './linear-model.js';

export type TrainingExample = { x: SparseVector; y: number; weight: number };

export type TrainOptions = {
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied lazily to the features an example touches. */
  l2: number;
  seed: number;
};

export const DEFAULT_TRAIN: TrainOptions = { epochs: 12, learningRate: 0.3, l2: 1e-5, seed: 42 };

/** Small deterministic PRNG (mulberry32) so training is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Softmax regression trained with AdaGrad: per-coordinate step sizes suit sparse hashed
 * features (rare n-grams keep large steps, frequent ones settle), and it needs no tuning of a
 * decay schedule.
 */
export function trainSoftmax(
  examples: TrainingExample[],
  classes: Intent[],
  features: FeatureConfig,
  opts: TrainOptions = DEFAULT_TRAIN,
): LinearModel {
  const model = emptyModel(classes, features);
  const c = classes.length;
  const w = model.weights;
  const b = model.bias;
  const gw = new Float32Array(w.length);
  const gb = new Float64Array(c);
  const eps = 1e-8;
  const random = rng(opts.seed);
  const grad = new Float64Array(c);

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (const ex of shuffle(examples, random)) {
      const p = softmax(logitsOf(model, ex.x));
      for (let k = 0; k < c; k++) grad[k] = ((p[k] ?? 0) - (k === ex.y ? 1 : 0)) * ex.weight;
      for (let k = 0; k < c; k++) {
        const g = grad[k] ?? 0;
        gb[k] = (gb[k] ?? 0) + g * g;
        b[k] = (b[k] ?? 0) - (opts.learningRate * g) / (Math.sqrt(gb[k] ?? 0) + eps);
      }
      for (let i = 0; i < ex.x.indices.length; i++) {
        const base = (ex.x.indices[i] ?? 0) * c;
        const v = ex.x.values[i] ?? 0;
        for (let k = 0; k < c; k++) {
          const j = base + k;
          const wj = w[j] ?? 0;
          const g = (grad[k] ?? 0) * v + opts.l2 * wj;
          const acc = (gw[j] ?? 0) + g * g;
          gw[j] = acc;
          w[j] = wj - (opts.learningRate * g) / (Math.sqrt(acc) + eps);
        }
      }
    }
  }
  return model;
}
