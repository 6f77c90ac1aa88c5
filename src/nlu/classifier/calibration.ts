import { softmax } from './linear-model.js';

/**
 * Temperature scaling (Guo et al., 2017): one scalar T divides the logits so that the softmax
 * probabilities match observed accuracy. It is fitted on out-of-fold logits, i.e. on
 * predictions for examples the model producing them never saw, by minimising negative
 * log-likelihood; it never changes which intent wins, only how sure we say we are.
 */

export function negativeLogLikelihood(
  logits: ArrayLike<number>[],
  labels: number[],
  temperature: number,
  weights?: number[],
): number {
  let total = 0;
  let weightSum = 0;
  logits.forEach((z, i) => {
    const w = weights?.[i] ?? 1;
    const p = softmax(z, temperature)[labels[i] ?? 0] ?? 0;
    total -= w * Math.log(Math.max(p, 1e-12));
    weightSum += w;
  });
  return total / Math.max(1e-12, weightSum);
}

/** Golden-section search on log T in [1/20, 20]. */
export function fitTemperature(
  logits: ArrayLike<number>[],
  labels: number[],
  weights?: number[],
): number {
  if (logits.length === 0) return 1;
  const f = (logT: number) => negativeLogLikelihood(logits, labels, Math.exp(logT), weights);
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(1 / 20);
  let hi = Math.log(20);
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 60; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = f(x2);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Expected calibration error over equal-width confidence bins: the average gap between how
 * confident the model said it was and how often it was right.
 */
export function expectedCalibrationError(
  confidences: number[],
  correct: boolean[],
  bins = 10,
): number {
  const sums = Array.from({ length: bins }, () => ({ n: 0, conf: 0, acc: 0 }));
  confidences.forEach((conf, i) => {
    const bin = sums[Math.min(bins - 1, Math.floor(conf * bins))];
    if (!bin) return;
    bin.n++;
    bin.conf += conf;
    bin.acc += correct[i] ? 1 : 0;
  });
  const n = Math.max(1, confidences.length);
  // Per bin: (n_bin / n) * |mean accuracy - mean confidence| = |sum correct - sum confidence| / n.
  return sums.reduce((ece, s) => ece + Math.abs(s.acc - s.conf) / n, 0);
}
