import pg from 'pg';
import { pollFor } from './cli';

export interface LockHolder {
  /** Begins a transaction on a connection of its own and runs `text` in it; its locks stay until `release`. */
  hold(text: string, values?: unknown[]): Promise<void>;
  /** Polls until exactly `n` backends of this database wait on a lock. */
  waitFor(n: number, what: string): Promise<true>;
  /** Rolls the holding transaction back: the waiters go on. */
  release(): Promise<void>;
  end(): Promise<void>;
}

/**
 * For making a race happen on purpose on real Postgres: hold a lock the code under test needs, start
 * the racing calls, wait until each is blocked on it (so each is inside its transaction), release.
 * The watching runs on a third connection: pg_stat_activity stays as first read for the rest of a
 * transaction, so the holder itself would never see a second waiter arrive.
 */
export async function lockHolder(databaseUrl: string): Promise<LockHolder> {
  const holder = new pg.Client({ connectionString: databaseUrl, application_name: 'opsroom-test-lock-holder' });
  const watcher = new pg.Client({ connectionString: databaseUrl, application_name: 'opsroom-test-lock-watcher' });
  await holder.connect();
  await watcher.connect();
  return {
    async hold(text, values) {
      await holder.query('begin');
      await holder.query(text, values);
    },
    waitFor: (n, what) =>
      pollFor(
        async () => {
          const { rows } = await watcher.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
          return rows[0]!.n === n ? true : undefined;
        },
        what,
        20_000,
      ),
    async release() {
      await holder.query('rollback');
    },
    async end() {
      await holder.end();
      await watcher.end();
    },
  };
}
