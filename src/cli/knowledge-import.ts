/**
 * `npm run knowledge:import -- --store demo PATH... [--category C] [--language english]
 *   [--database-url URL]`
 *
 * Imports Markdown (.md), plain text (.txt) and HTML (.html) files, or folders of them, into a
 * store's knowledge. Re-importing a file replaces its chunks atomically; unchanged files are
 * left alone. With an embeddings provider configured, knowledge.embed jobs are queued (a worker
 * computes the vectors); full-text retrieval works at once either way.
 */
import { ConfigError, loadConfig } from '../config/index.js';
import { connectRedis, createRedis } from '../infra/redis.js';
import { jobCatalog } from '../../jobs/catalog.js';
import { createQueues } from '../../jobs/queues.js';
import { ArgsError, parseArgs } from './args.js';
import { cliLogger, openConfiguredDb } from '../knowledge/cli-db.js';
import { embedderFromConfig } from '../knowledge/embedder.js';
import { collectKnowledgeFiles } from '../knowledge/files.js';
import { KnowledgeInputError } from '../knowledge/import.js';
import { importKnowledge, type KnowledgeDeps } from '../knowledge/service.js';

const USAGE = 'usage: npm run knowledge:import -- --store <slug|id> PATH... [--category C] [--language english] [--database-url URL]';
const logger = cliLogger('warn');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), { known: ['store', 'category', 'language', 'database-url'], booleans: ['help'] });
  if (args.bool('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const storeRef = args.string('store');
  if (!storeRef) throw new ArgsError('--store is required');
  if (args.positionals.length === 0) throw new ArgsError('give at least one file or folder to import');
  const { files, skipped } = collectKnowledgeFiles(args.positionals);
  for (const s of skipped) process.stderr.write(`skipped (not .md/.txt/.html): ${s}\n`);
  if (files.length === 0) throw new ArgsError('no .md, .txt or .html file found');

  const config = loadConfig(process.env);
  const { db, store } = await openConfiguredDb(config, { databaseUrl: args.string('database-url'), store: storeRef, logger });
  const embedder = embedderFromConfig(config);
  const redis = embedder ? createRedis(config.REDIS_URL, 'producer') : null;
  let queues: ReturnType<typeof createQueues<typeof jobCatalog>> | undefined;
  const deps: KnowledgeDeps = { db: db.knex, embedder, logger };
  try {
    if (redis) {
      try {
        await connectRedis(redis, config.REDIS_URL, 2000);
        queues = createQueues(jobCatalog, redis, config.QUEUE_PREFIX);
        await queues.ready();
        deps.queues = queues;
      } catch {
        process.stderr.write('Redis is not reachable: embeddings will be queued at the next import or start\n');
      }
    }
    let failed = 0;
    for (const f of files) {
      try {
        const r = await importKnowledge(deps, {
          storeId: store.id,
          title: f.title,
          sourceRef: f.sourceRef,
          content: f.content,
          format: f.format,
          source: 'file',
          category: args.string('category') ?? null,
          language: args.string('language'),
        });
        const state = r.unchanged ? 'unchanged' : `imported, ${r.chunks} chunks`;
        process.stdout.write(`${f.path}: ${state} (document ${r.documentId}, embeddings ${r.embedding})\n`);
      } catch (err) {
        if (!(err instanceof KnowledgeInputError)) throw err;
        failed++;
        process.stderr.write(`${f.path}: ${err.message}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await queues?.close();
    redis?.disconnect();
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ArgsError) process.stderr.write(`${err.message}\n${USAGE}\n`);
    else if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`knowledge:import failed: ${(err as Error).message}\n`);
    process.exit(err instanceof ArgsError ? 2 : 1);
  },
);
