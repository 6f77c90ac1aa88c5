/**
 * `npm run train` — trains the offline intent classifier and writes data/nlu/intent-model.json.
 *
 *   --bitext PATH     Bitext dev.jsonl (default ../shared/data/bitext/dev.jsonl)
 *   --examples PATH   our labelled examples (default data/nlu/examples.jsonl)
 *   --out PATH        model file (default data/nlu/intent-model.json)
 *   --holdout [PCT]   hold out PCT% of rows (default 25) by text hash and train on the rest; the
 *                     model records the split so `npm run eval` scores only unseen rows.
 *                     Run plain `npm run train` afterwards to restore the full model.
 *   --folds K         cross-validation folds for the report (default 5)
 *   --mappings LIST   Bitext mappings to train on (default clean,ambiguous,out_of_scope)
 */
import { pathToFileURL } from 'node:url';
import { ArgsError, parseArgs } from './args.js';
import { DEFAULT_BITEXT_PATH, DEFAULT_EXAMPLES_PATH } from '../nlu/classifier/dataset.js';
import { DEFAULT_MODEL_PATH } from '../nlu/classifier/model-file.js';
import { runTraining } from '../nlu/classifier/train-run.js';

const USAGE =
  'usage: npm run train -- [--bitext PATH] [--examples PATH] [--out PATH] [--holdout [PCT]] [--folds K] [--mappings LIST]';

export function trainMain(argv: string[], log: (line: string) => void = console.log): number {
  try {
    const args = parseArgs(argv, {
      known: ['bitext', 'examples', 'out', 'holdout', 'folds', 'mappings'],
      booleans: ['help'],
    });
    if (args.bool('help')) {
      log(USAGE);
      return 0;
    }
    const holdoutArg = args.options.get('holdout');
    const holdoutPercent =
      holdoutArg === undefined ? 0 : holdoutArg === true ? 25 : Number(holdoutArg);
    if (!Number.isFinite(holdoutPercent) || holdoutPercent < 0 || holdoutPercent >= 100) {
      throw new ArgsError('--holdout must be a percentage between 0 and 99');
    }
    runTraining({
      bitextPath: args.string('bitext') ?? DEFAULT_BITEXT_PATH,
      examplesPath: args.string('examples') ?? DEFAULT_EXAMPLES_PATH,
      outPath: args.string('out') ?? DEFAULT_MODEL_PATH,
      mappings: (args.string('mappings') ?? 'clean,ambiguous,out_of_scope').split(','),
      folds: args.number('folds') ?? 5,
      holdoutPercent,
      log,
    });
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`train: ${message}`);
    return err instanceof ArgsError || /ENOENT|EACCES/.test(message) ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = trainMain(process.argv.slice(2));
}
