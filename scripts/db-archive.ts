#!/usr/bin/env tsx
/** `npm run db:archive`: moves old generations and ledger rows into the archive tables. */
import { parseArgs } from 'node:util';
import { archiveOldRows } from '../server/src/billing/archive';
import { ConfigError, loadEnvFiles, readConfig } from '../server/src/config/env';
import { connectDatabase } from '../server/src/db/client';
import { describeFailure } from '../server/src/db/errors';
import { DomainError } from '../server/src/usecases/index';

const HELP = `Usage: npm run db:archive -- --older-than-days <n> [--dry-run]

Moves finished generations (completed or failed) and credit_transactions rows created more than
<n> days ago into generations_archive and credit_transactions_archive, in one transaction.
Balances do not change: credits.left_credits stays equal to the sum of a user's ledger rows plus
their archived ones. Runs against DATABASE_URL, or the embedded PGlite in PGLITE_DIR.

  --older-than-days <n>   archive rows older than this many days (required)
  --dry-run               count what would move, move nothing
  --help                  show this text`;

async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { 'older-than-days': { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);
  const days = Number(values['older-than-days']);
  if (values['older-than-days'] === undefined) throw new ConfigError('--older-than-days <n> is required. See --help.');
  loadEnvFiles();
  const database = await connectDatabase(readConfig().database);
  try {
    const result = await archiveOldRows({ db: database.db }, { olderThanDays: days, dryRun: values['dry-run'] });
    const verb = result.dryRun ? 'would move' : 'moved';
    console.log(`db:archive: ${verb} ${result.generations} generations and ${result.creditTransactions} ledger rows created before ${result.cutoff.toISOString()}`);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  const line = err instanceof DomainError ? `--${err.message}` : describeFailure(err);
  console.error(`db:archive: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
