#!/usr/bin/env tsx
/**
 * `npm run db:introspect`: `drizzle-kit pull` of the configured database into a scratch folder, to
 * compare a live database with the schema or to start from one. Never touches drizzle/ or the schema.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvFiles, readConfig } from '../server/src/config/env';
import { describeFailure } from '../server/src/db/errors';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `Usage: npm run db:introspect [-- --out <folder>]

Runs drizzle-kit pull against DATABASE_URL (or the embedded PGlite in PGLITE_DIR) and writes the
introspected schema.ts, relations.ts and SQL into <folder> (default .introspect/<timestamp>).
The folder must be new or empty; drizzle/ and server/src/db/schema are never written.

  --out <folder>   where to write (default .introspect/<timestamp>)
  --help           show this text`;

async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);
  loadEnvFiles();
  const { database } = readConfig();
  const out = path.resolve(values.out ?? path.join('.introspect', new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')));
  if (existsSync(out) && readdirSync(out).length) throw new ConfigError(`${out} is not empty: pass --out with a new folder.`);
  if (database.driver === 'pglite' && !existsSync(path.join(database.dir, 'PG_VERSION'))) {
    throw new ConfigError(`PGLITE_DIR: no embedded database in ${database.dir}. Run npm run db:migrate first, or set DATABASE_URL.`);
  }
  mkdirSync(out, { recursive: true });
  const credentials = database.driver === 'pglite' ? { driver: 'pglite', dbCredentials: { url: database.dir } } : { dbCredentials: { url: database.url } };
  const configFile = path.join(out, 'drizzle.introspect.config.json');
  writeFileSync(configFile, JSON.stringify({ dialect: 'postgresql', out, schemaFilter: ['public'], ...credentials }, null, 2));
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/drizzle-kit'), ['pull', `--config=${configFile}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0 || !existsSync(path.join(out, 'schema.ts'))) throw new ConfigError(`drizzle-kit pull failed (exit code ${code}); see its output above.`);
  console.log(`db:introspect: wrote ${path.relative(process.cwd(), out) || out}/schema.ts and relations.ts`);
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err);
  console.error(`db:introspect: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
