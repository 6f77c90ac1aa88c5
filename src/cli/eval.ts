/**
 * `npm run eval -- --dataset FILE.jsonl --report OUT.json [--engine local|openai]`
 *
 *   --filter-mapping LIST  only rows whose `mapping` is in LIST (e.g. `clean` for dev.jsonl)
 *   --model PATH           local model file (default: the bundled data/nlu/intent-model.json)
 *   --include-trained      with a `--holdout` model, also score rows it was trained on
 *
 * Rows: {"text","intent","order_number"?,"email"?,"alt_intents"?} or Bitext's dev.jsonl shape.
 * Exit 0 when the evaluation ran (whatever the scores), 2 for unusable input or arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/index.js';
import { createOpenAIUnderstanding } from '../llm/openai-understanding.js';
import { INTENTS } from '../domain/intents.js';
import { ArgsError, parseArgs } from './args.js';
import { readJsonl, textHash } from '../nlu/classifier/dataset.js';
import { decodeTextHashes, type ModelMetadata } from '../nlu/classifier/model-file.js';
import { createUnderstandingEngine, isEngineKind, type EngineDeps } from '../nlu/engines.js';
import {
  evaluateEngine,
  toEvalRow,
  type EntityScore,
  type EvalResult,
  type EvalRow,
} from '../nlu/evaluation.js';
import { createLocalEngine } from '../nlu/local-engine.js';
import { formatConfusion, formatPerIntent } from '../nlu/metrics.js';
import type { UnderstandingEngine } from '../nlu/types.js';

export type EvalIo = { log: (line: string) => void; error: (line: string) => void };
const consoleIo: EvalIo = { log: console.log, error: console.error };

function loadRows(path: string): EvalRow[] {
  let raw: Record<string, unknown>[];
  try {
    raw = readJsonl(path);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ArgsError(`cannot read dataset ${path}: ${reason}`);
  }
  return raw.map(toEvalRow).filter((r): r is EvalRow => r !== undefined);
}

type Built = { engine: UnderstandingEngine; holdout?: ModelMetadata['holdout'] };

function buildEngine(kind: string, modelPath: string | undefined, deps: EngineDeps): Built {
  if (!isEngineKind(kind)) throw new ArgsError(`--engine must be local or openai, got "${kind}"`);
  if (kind === 'local') {
    const engine = createLocalEngine({ ...deps.local, ...(modelPath ? { modelPath } : {}) });
    return { engine, holdout: engine.model.holdout };
  }
  try {
    return { engine: createUnderstandingEngine(kind, deps) };
  } catch (err) {
    throw new ArgsError(err instanceof Error ? err.message : String(err));
  }
}

const USAGE =
  'usage: npm run eval -- --dataset FILE.jsonl --report OUT.json [--engine local|openai] [--filter-mapping LIST] [--model PATH] [--include-trained]';

/** With a `--holdout` model, drop the rows it was trained on so the scores are honest. */
function unseenRows(rows: EvalRow[], holdout: Built['holdout'], io: EvalIo): EvalRow[] {
  if (!holdout?.trainedTexts) return rows;
  const trained = decodeTextHashes(holdout.trainedTexts);
  const unseen = rows.filter((r) => !trained.has(textHash(r.text)));
  io.log(
    `model trained with --holdout ${holdout.percent}: scoring the ${unseen.length} rows it ` +
      `never saw (skipped ${rows.length - unseen.length} trained-on rows)`,
  );
  if (unseen.length === 0) {
    throw new ArgsError('every row was trained on; use --include-trained to score them anyway');
  }
  return unseen;
}

function printSummary(result: EvalResult, header: string, io: EvalIo): void {
  const { report, classification } = result;
  const { order_number: o, email: e } = report.entities;
  const counts = (s: EntityScore) => `(tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;
  io.log(`${header}\n`);
  io.log(formatPerIntent(classification));
  io.log('\nconfusion (rows = expected, columns = predicted; alternatives count as expected)');
  io.log(formatConfusion(classification));
  io.log(`\norder numbers: precision ${o.precision} recall ${o.recall} ${counts(o)}`);
  io.log(`emails:        precision ${e.precision} recall ${e.recall} ${counts(e)}`);
  io.log(`latency ms:    p50 ${report.latency_ms.p50} p95 ${report.latency_ms.p95}`);
}

export async function evalMain(
  argv: string[],
  deps: EngineDeps = {},
  io: EvalIo = consoleIo,
): Promise<number> {
  try {
    const args = parseArgs(argv, {
      known: ['dataset', 'report', 'engine', 'filter-mapping', 'model'],
      booleans: ['include-trained', 'help'],
    });
    if (args.bool('help')) {
      io.log(USAGE);
      return 0;
    }
    const datasetPath = args.string('dataset');
    const reportPath = args.string('report');
    if (!datasetPath || !reportPath) throw new ArgsError(USAGE);
    let rows = loadRows(datasetPath);
    const mappings = args.string('filter-mapping')?.split(',');
    if (mappings) rows = rows.filter((r) => mappings.includes(r.mapping ?? ''));
    if (rows.length === 0) {
      throw new ArgsError(`no usable rows in ${datasetPath} (need "text" and a known intent)`);
    }

    const kind = args.string('engine') ?? 'local';
    const { engine, holdout } = buildEngine(kind, args.string('model'), deps);
    if (!args.bool('include-trained')) rows = unseenRows(rows, holdout, io);

    const result = await evaluateEngine(engine, rows, INTENTS);
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(result.report, null, 2)}\n`);
    const filter = mappings ? ` (mapping ${mappings.join(',')})` : '';
    const header = `engine ${engine.name}, ${rows.length} rows from ${datasetPath}${filter}`;
    printSummary(result, header, io);
    io.log(`report written to ${reportPath}`);
    return 0;
  } catch (err) {
    io.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof ArgsError ? 2 : 1;
  }
}

/** `--engine openai` uses the configured OpenAI (or compatible) server: OPENAI_API_KEY, OPENAI_BASE_URL. */
function openaiFactory(): EngineDeps['openai'] {
  const config = loadConfig();
  if (!config.OPENAI_API_KEY) return undefined;
  return () =>
    createOpenAIUnderstanding(
      {
        apiKey: config.OPENAI_API_KEY!,
        baseUrl: config.OPENAI_BASE_URL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        model: config.OPENAI_UNDERSTAND_MODEL,
        fallbackModel: config.OPENAI_UNDERSTAND_FALLBACK_MODEL,
      },
      createLocalEngine(),
    );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await evalMain(process.argv.slice(2), { openai: openaiFactory() });
}
