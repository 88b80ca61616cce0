import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db/client';
import { creditTransactionsArchive, generationsArchive } from '../db/schema';
import { InvalidInputError, type UseCaseDeps } from '../usecases/index';

export interface ArchiveResult {
  cutoff: Date;
  generations: number;
  creditTransactions: number;
  dryRun: boolean;
}

/** The columns an archive shares with its source table: all but archived_at. */
const sharedColumns = (archive: PgTable) =>
  sql.raw(
    getTableConfig(archive)
      .columns.filter((c) => c.name !== 'archived_at')
      .map((c) => `"${c.name}"`)
      .join(', '),
  );

async function move(tx: Tx, source: string, archive: PgTable, where: ReturnType<typeof sql>, dryRun: boolean): Promise<number> {
  const cols = sharedColumns(archive);
  const query = dryRun
    ? sql`select count(*)::int as n from ${sql.identifier(source)} where ${where}`
    : sql`with moved as (delete from ${sql.identifier(source)} where ${where} returning ${cols}),
            kept as (insert into ${archive} (${cols}) select ${cols} from moved returning 1)
          select count(*)::int as n from kept`;
  const [row] = await queryRows<{ n: number }>(tx, query);
  return row!.n;
}

/**
 * Moves finished generations and ledger rows older than `olderThanDays` into the archive tables,
 * in one transaction. Balances are untouched: a user's credits.left_credits stays equal to the sum
 * of their credit_transactions plus credit_transactions_archive. References to an archived
 * generation (assets.generation_id, xp_transactions.generation_id) are set null by their foreign
 * keys; the archive row keeps the id and its asset_id, so the link can still be followed.
 */
export async function archiveOldRows(deps: UseCaseDeps, input: { olderThanDays: number; now?: Date; dryRun?: boolean }): Promise<ArchiveResult> {
  if (!Number.isInteger(input.olderThanDays) || input.olderThanDays < 1) {
    throw new InvalidInputError('older-than-days must be a whole number of days, at least 1.', { olderThanDays: 'At least 1' });
  }
  const cutoff = new Date((input.now ?? new Date()).getTime() - input.olderThanDays * 86_400_000);
  const dryRun = input.dryRun ?? false;
  return deps.db.transaction(async (tx) => ({
    cutoff,
    dryRun,
    generations: await move(tx, 'generations', generationsArchive, sql`created_at < ${cutoff} and status in ('completed', 'failed')`, dryRun),
    creditTransactions: await move(tx, 'credit_transactions', creditTransactionsArchive, sql`created_at < ${cutoff}`, dryRun),
  }));
}
