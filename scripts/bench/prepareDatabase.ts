import { runMigrations } from '../../server/src/db/migrate';
import { benchUrl, ensureDatabase, withClient, GENERATOR_VERSION, readMarker, sameSizes, writeMarker } from './benchDatabase';
import { generateData } from './generateData';
import { step } from './progress';
import { describeSizes, type Sizes } from './sizes';

export interface PrepareOptions {
  sizes: Sizes;
  /** Drop and regenerate even when the data is already at this size. */
  fresh?: boolean;
  jobs?: number;
  log?: (line: string) => void;
}

export interface Prepared {
  url: string;
  database: string;
  generated: boolean;
  seconds: number;
}

/**
 * Makes BENCH_DATABASE_URL hold migrated data at exactly `sizes`: reuses what a previous run left
 * when its marker matches (reruns take seconds), otherwise drops, recreates and regenerates it.
 */
export async function prepareDatabase(opts: PrepareOptions): Promise<Prepared> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { url, database } = benchUrl();
  let created = await ensureDatabase(url, database, Boolean(opts.fresh));
  if (!created) {
    const marker = await withClient(url, (c) => readMarker(c, database));
    if (marker && marker.version === GENERATOR_VERSION && sameSizes(marker.sizes, opts.sizes)) {
      // Pending migrations (a new index, say) still apply, as they would on a live database.
      await runMigrations({ kind: 'pg', url }, { log: (l) => log(`migrate: ${l}`) });
      log(`bench data: reusing ${database} (${describeSizes(marker.sizes)}, generated ${marker.generatedAt}); --fresh regenerates it`);
      return { url, database, generated: false, seconds: marker.seconds };
    }
    log(marker ? `bench data: ${database} holds other sizes (${describeSizes(marker.sizes)}); regenerating` : `bench data: ${database} has no complete data set; regenerating`);
    created = await ensureDatabase(url, database, true);
  }

  const started = performance.now();
  await step('migrate', () => runMigrations({ kind: 'pg', url }));
  log(`bench data: generating ${describeSizes(opts.sizes)} into ${database}`);
  const counts = await generateData(url, opts.sizes, { jobs: opts.jobs });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  await withClient(url, (c) => writeMarker(c, database, { version: GENERATOR_VERSION, sizes: opts.sizes, generatedAt: new Date().toISOString(), seconds }));
  log(`bench data: ${Object.entries(counts).map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')} in ${seconds}s`);
  return { url, database, generated: true, seconds };
}
