#!/usr/bin/env tsx
/** `npm run db:seed`: makes the badge catalogue current; `--demo` also fills an empty database. */
import { parseArgs } from 'node:util';
import { loadEnvFiles, readConfig } from '../server/src/config/env';
import { loadKeyRing } from '../server/src/crypto/secretBox';
import { connectDatabase } from '../server/src/db/client';
import { describeFailure } from '../server/src/db/errors';
import { BADGES, seedBadges } from '../server/src/db/seed/badges';
import { hasDemoData, seedDemo } from '../server/src/db/seed/demo';

const HELP = `Usage: npm run db:seed [-- --demo]

Upserts every badge definition and deletes the badges the catalogue has retired (their awards go
with them); badges operators created in the console are left alone. Safe to run on every deploy. Runs against DATABASE_URL, or the embedded PGlite in
PGLITE_DIR (default ./.data/pglite) when DATABASE_URL is unset. Run npm run db:migrate first.

  --demo   also add the demo dataset (300 users with orders, ledgers, generations, affiliates);
           skipped when the database already has users, so real data is never mixed with it
  --help   show this text`;

async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { demo: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);

  loadEnvFiles();
  const config = readConfig();
  const database = await connectDatabase(config.database);
  try {
    const { removed } = await seedBadges(database.db);
    console.log(`badges: ${BADGES.length} defined${removed.length ? `, removed ${removed.join(', ')}` : ', none removed'}`);
    if (!values.demo) return;
    if (await hasDemoData(database.db)) {
      console.log('demo: skipped, the database already has users');
      return;
    }
    const summary = await seedDemo(database.db, loadKeyRing(config.encryptionKey));
    console.log(`demo: ${summary.users} users, ${summary.orders} orders, ${summary.creditTransactions} credit transactions, ${summary.generations} generations, ${summary.affiliates} affiliate commissions`);
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err);
  console.error(`db:seed: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
