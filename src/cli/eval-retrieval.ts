/**
 * `npm run eval:retrieval -- --dataset FILE.jsonl --report OUT.json [--store demo]
 *   [--database-url URL] [--fts-only] [--verbose]`
 *
 * Retrieval quality over questions with their expected sections: writes
 * {"n","recall_at_1","recall_at_3","mrr"} to --report and prints it. Without a database URL it
 * builds a fresh in-memory database with the demo store (the embedded ./data/pglite may be held
 * by a running server). Vectors are used when an embeddings provider is configured (the demo
 * store's chunks are embedded first); --fts-only measures full-text alone. Exit 0 when it ran.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, loadConfig } from '../config/index.js';
import { ArgsError, parseArgs } from './args.js';
import { cliLogger, openEvalDb } from '../knowledge/cli-db.js';
import { embedDocument } from '../knowledge/embed.js';
import { embedderFromConfig, type Embedder } from '../knowledge/embedder.js';
import { evaluateRetrieval, parseDataset } from '../knowledge/eval.js';
import { createRetriever } from '../knowledge/retrieve.js';

const USAGE = 'usage: npm run eval:retrieval -- --dataset FILE.jsonl --report OUT.json [--store demo] [--database-url URL] [--fts-only] [--verbose]';
const logger = cliLogger();

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), {
    known: ['dataset', 'report', 'store', 'database-url'],
    booleans: ['fts-only', 'verbose', 'help'],
  });
  if (args.bool('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const datasetPath = args.string('dataset');
  const reportPath = args.string('report');
  if (!datasetPath || !reportPath) throw new ArgsError('--dataset and --report are required');
  let text: string;
  try {
    text = readFileSync(datasetPath, 'utf8');
  } catch (err) {
    throw new ArgsError(`cannot read --dataset ${datasetPath}: ${(err as Error).message}`);
  }
  const rows = parseDataset(text);
  const config = loadConfig(process.env);

  const { db, store, source } = await openEvalDb({
    databaseUrl: args.string('database-url') ?? config.DATABASE_URL,
    store: args.string('store') ?? 'demo',
    logger,
  });
  try {
    let embedder: Embedder | null = args.bool('fts-only') ? null : embedderFromConfig(config);
    if (embedder && source === 'memory') embedder = await embedDemo(db.knex, embedder, store.id);
    const retriever = createRetriever({ db: db.knex, embedder, logger });
    const { report, misses } = await evaluateRetrieval(retriever, store.id, rows);
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    if (args.bool('verbose')) {
      for (const m of misses) process.stderr.write(`miss@3: ${JSON.stringify(m)}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** A fresh demo store has no vectors yet: embed its documents now (failure → full-text only). */
async function embedDemo(knex: Parameters<typeof embedDocument>[0], embedder: Embedder, storeId: string) {
  try {
    const docs = await knex('policy_documents').where({ store_id: storeId, status: 'active' }).pluck('id');
    for (const documentId of docs as string[]) await embedDocument(knex, embedder, { storeId, documentId });
    return embedder;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'embedding the demo store failed; evaluating full-text only');
    return null;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ArgsError) process.stderr.write(`${err.message}\n${USAGE}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`eval:retrieval failed: ${(err as Error).message ?? String(err)}\n`);
    process.exit(err instanceof ArgsError ? 2 : 1);
  },
);
