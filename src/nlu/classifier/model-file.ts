import { readFileSync, writeFileSync } from 'node:fs';
import { isIntent, type Intent } from '../../domain/intents.js';
import type { FeatureConfig } from './features.js';
import type { LinearModel } from './linear-model.js';

/**
 * On-disk model: JSON metadata plus base64 blobs. Only hash buckets that carry weight are
 * stored: bucket indices as delta varints, and each bucket's class weights as int8 with one
 * float32 scale per bucket (max error 0.4% of that bucket's largest weight). This keeps the
 * file around a megabyte while loading into a dense array for fast inference.
 */

export const MODEL_FORMAT = 'helpdesk-intent-model';
export const DEFAULT_MODEL_PATH = 'data/nlu/intent-model.json';

export type ModelMetadata = {
  /**
   * Present when the model was trained with `--holdout`. `trainedTexts` lists hashes of every
   * text it was trained on (see `textHash`), so an evaluation can skip exactly those rows.
   */
  holdout?: { percent: number; salt: string; trainedTexts?: string };
  training?: Record<string, unknown>;
};

type ModelFile = {
  format: typeof MODEL_FORMAT;
  version: 1;
  attribution: string;
  classes: string[];
  features: FeatureConfig;
  temperature: number;
  bias: number[];
  buckets: number;
  indices: string;
  scales: string;
  weights: string;
} & ModelMetadata;

export const ATTRIBUTION =
  'Derived in part from the Bitext customer-support dataset, (c) Bitext Innovations, licensed ' +
  'under CDLA-Sharing-1.0 (see data/nlu/LICENSE-BITEXT.txt), and from our own examples.';

function encodeVarints(values: number[]): Buffer {
  const bytes: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    bytes.push(v);
  }
  return Buffer.from(bytes);
}

function decodeVarints(buf: Buffer, count: number): number[] {
  const out: number[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    let v = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = buf[pos++] ?? 0;
      v += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    out.push(v);
  }
  return out;
}

export function serializeModel(model: LinearModel, meta: ModelMetadata = {}, prune = 1e-4): string {
  const c = model.classes.length;
  const deltas: number[] = [];
  const scales: number[] = [];
  const quantized: number[] = [];
  let last = 0;
  for (let f = 0; f < model.features.dims; f++) {
    let maxAbs = 0;
    for (let k = 0; k < c; k++) maxAbs = Math.max(maxAbs, Math.abs(model.weights[f * c + k] ?? 0));
    if (maxAbs <= prune) continue;
    deltas.push(f - last);
    last = f;
    const scale = maxAbs / 127;
    scales.push(scale);
    for (let k = 0; k < c; k++) quantized.push(Math.round((model.weights[f * c + k] ?? 0) / scale));
  }
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: 1,
    attribution: ATTRIBUTION,
    classes: model.classes,
    features: model.features,
    temperature: Math.round(model.temperature * 1e6) / 1e6,
    bias: Array.from(model.bias, (b) => Math.round(b * 1e6) / 1e6),
    ...meta,
    buckets: scales.length,
    indices: encodeVarints(deltas).toString('base64'),
    scales: Buffer.from(new Float32Array(scales).buffer).toString('base64'),
    weights: Buffer.from(Int8Array.from(quantized).buffer).toString('base64'),
  };
  return JSON.stringify(file);
}

export function deserializeModel(json: string): LinearModel & ModelMetadata {
  const file = JSON.parse(json) as Partial<ModelFile>;
  if (file.format !== MODEL_FORMAT || file.version !== 1) {
    throw new Error('not an intent model file (format/version mismatch)');
  }
  const classes = (file.classes ?? []).filter(isIntent) as Intent[];
  const features = file.features;
  if (!features || classes.length !== (file.classes ?? []).length || !file.bias) {
    throw new Error('intent model file is missing classes, features or bias');
  }
  const c = classes.length;
  const buckets = file.buckets ?? 0;
  const deltas = decodeVarints(Buffer.from(file.indices ?? '', 'base64'), buckets);
  // Copy into fresh buffers: a decoded Buffer's offset need not be 4-byte aligned.
  const scales = new Float32Array(new Uint8Array(Buffer.from(file.scales ?? '', 'base64')).buffer);
  const q = new Int8Array(new Uint8Array(Buffer.from(file.weights ?? '', 'base64')).buffer);
  if (scales.length !== buckets || q.length !== buckets * c) {
    throw new Error('intent model file is truncated');
  }
  const weights = new Float32Array(features.dims * c);
  let f = 0;
  for (let i = 0; i < buckets; i++) {
    f += deltas[i] ?? 0;
    const scale = scales[i] ?? 0;
    for (let k = 0; k < c; k++) weights[f * c + k] = (q[i * c + k] ?? 0) * scale;
  }
  return {
    classes,
    features,
    weights,
    bias: Float32Array.from(file.bias),
    temperature: file.temperature ?? 1,
    ...(file.holdout ? { holdout: file.holdout } : {}),
    ...(file.training ? { training: file.training } : {}),
  };
}

export function encodeTextHashes(hashes: Iterable<number>): string {
  const sorted = Uint32Array.from(new Set(hashes)).sort();
  return Buffer.from(sorted.buffer).toString('base64');
}

export function decodeTextHashes(encoded: string): Set<number> {
  return new Set(new Uint32Array(new Uint8Array(Buffer.from(encoded, 'base64')).buffer));
}

export function saveModel(path: string, model: LinearModel, meta: ModelMetadata = {}): number {
  const json = serializeModel(model, meta);
  writeFileSync(path, json);
  return Buffer.byteLength(json);
}

export function loadModel(path: string = DEFAULT_MODEL_PATH): LinearModel & ModelMetadata {
  return deserializeModel(readFileSync(path, 'utf8'));
}
