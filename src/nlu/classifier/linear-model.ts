import type { Intent } from '../../domain/intents.js';
import { DEFAULT_FEATURES, featurize, type FeatureConfig, type SparseVector } from './features.js';

/**
 * A multinomial logistic regression over hashed features. `weights` is row-major by feature
 * (`weights[f * classes.length + c]`) so one feature's class weights sit together in memory.
 */
export type LinearModel = {
  classes: Intent[];
  features: FeatureConfig;
  weights: Float32Array;
  bias: Float32Array;
  /** Softmax temperature fitted on out-of-fold predictions (1 = uncalibrated). */
  temperature: number;
};

export function emptyModel(
  classes: Intent[],
  features: FeatureConfig = DEFAULT_FEATURES,
): LinearModel {
  return {
    classes,
    features,
    weights: new Float32Array(features.dims * classes.length),
    bias: new Float32Array(classes.length),
    temperature: 1,
  };
}

export function logitsOf(model: LinearModel, x: SparseVector): Float64Array {
  const c = model.classes.length;
  const z = new Float64Array(c);
  for (let k = 0; k < c; k++) z[k] = model.bias[k] ?? 0;
  const w = model.weights;
  for (let i = 0; i < x.indices.length; i++) {
    const base = (x.indices[i] ?? 0) * c;
    const v = x.values[i] ?? 0;
    for (let k = 0; k < c; k++) z[k] = (z[k] ?? 0) + v * (w[base + k] ?? 0);
  }
  return z;
}

export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  const out = new Float64Array(z.length);
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) max = Math.max(max, (z[k] ?? 0) / temperature);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k] ?? 0) / temperature - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) out[k] = (out[k] ?? 0) / sum;
  return out;
}

export type Prediction = {
  intent: Intent;
  probability: number;
  scores: Partial<Record<Intent, number>>;
  /** Calibrated probabilities in `model.classes` order. */
  probs: Float64Array;
};

export function predictVector(model: LinearModel, x: SparseVector): Prediction {
  const probs = softmax(logitsOf(model, x), model.temperature);
  let best = 0;
  for (let k = 1; k < probs.length; k++) if ((probs[k] ?? 0) > (probs[best] ?? 0)) best = k;
  const scores: Partial<Record<Intent, number>> = {};
  model.classes.forEach((intent, k) => {
    scores[intent] = Math.round((probs[k] ?? 0) * 10000) / 10000;
  });
  return { intent: model.classes[best] ?? 'other', probability: probs[best] ?? 0, scores, probs };
}

export function predictText(model: LinearModel, text: string): Prediction {
  return predictVector(model, featurize(text, model.features));
}
