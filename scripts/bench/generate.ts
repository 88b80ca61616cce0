#!/usr/bin/env tsx
/** `npm run bench:generate`: fills the bench database with a busy AI app's data. */
import { parseArgs } from 'node:util';
import { describeFailure } from '../../server/src/db/errors';
import { DEFAULT_BENCH_URL } from './benchDatabase';
import { prepareDatabase } from './prepareDatabase';
import { parseSize } from './sizes';

const HELP = `Usage: npm run bench:generate [-- --size small|medium|default|users=<n>,…] [-- --fresh] [-- --jobs <n>]

Creates the database named in BENCH_DATABASE_URL (default ${DEFAULT_BENCH_URL}) if missing,
migrates it and fills it with users, orders, generations, credit transactions and balances that
agree with each other (every balance equals its ledger's sum). Runs server-side as set-based SQL.
When the database already holds data of the requested size it is left as is.

  --size <name>   small (20k users), medium (200k), default (1M users, 5M credit transactions,
                  2M generations, 200k orders), or users=<n>[,credit_transactions=<n>,generations=<n>,orders=<n>]
  --fresh         drop the database and generate again
  --jobs <n>      connections filling it in parallel (default 2, one per core here)
  --help          show this text`;

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { size: { type: 'string' }, fresh: { type: 'boolean' }, jobs: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(HELP);
  const { sizes } = parseSize(values.size);
  const jobs = values.jobs === undefined ? 2 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw Object.assign(new Error(`--jobs must be a whole number >= 1 (got "${values.jobs}")`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  await prepareDatabase({ sizes, fresh: values.fresh, jobs });
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err, 'BENCH_DATABASE_URL');
  console.error(`bench:generate: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
