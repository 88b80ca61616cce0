#!/usr/bin/env tsx
/**
 * `npm run db:check`: fails when the Drizzle schema and the committed migrations disagree, i.e. when
 * `npm run db:generate` would write a new migration. Compares the schema with the last snapshot in
 * drizzle/meta through drizzle-kit's own serializer; never prompts, never touches a database.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { generateDrizzleJson } from 'drizzle-kit/api';
import { ConfigError } from '../server/src/config/env';
import { describeFailure } from '../server/src/db/errors';

const HELP = `Usage: npm run db:check [-- --schema <file>] [-- --out <folder>]

Exits 1 when the Drizzle schema has changes that no committed migration holds (fix: run
npm run db:generate and commit drizzle/), or when drizzle/meta is inconsistent (a missing SQL file
or snapshot, or two migrations generated from the same parent on different branches).

  --schema <file>    the schema module (default server/src/db/schema/index.ts)
  --out <folder>     the migrations folder (default drizzle)
  --help             show this text`;

type Snapshot = { id: string; prevId: string; version: string } & Record<string, unknown>;
const SECTIONS = ['tables', 'enums', 'schemas', 'sequences', 'roles', 'policies', 'views'] as const;

function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new ConfigError(`${what} is missing (${file}). Run npm run db:generate.`);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The last snapshot, after checking that every journal entry has its SQL and that snapshots form one chain. */
function lastSnapshot(folder: string): { snapshot: Snapshot; tag: string; count: number } {
  const journal = readJson<{ entries: { idx: number; tag: string }[] }>(path.join(folder, 'meta/_journal.json'), 'the migration journal');
  if (!journal.entries.length) throw new ConfigError(`${folder} has no migrations yet. Run npm run db:generate.`);
  let previous: Snapshot | undefined;
  for (const entry of journal.entries) {
    if (!existsSync(path.join(folder, `${entry.tag}.sql`))) throw new ConfigError(`migration ${entry.tag}.sql is in the journal but not in ${folder}. Restore it from git.`);
    const snapshot = readJson<Snapshot>(path.join(folder, 'meta', `${String(entry.idx).padStart(4, '0')}_snapshot.json`), `the snapshot of ${entry.tag}`);
    if (previous && snapshot.prevId !== previous.id) {
      throw new ConfigError(`migration ${entry.tag} was not generated on top of the one before it (two branches generated migrations in parallel). Delete the newer one, merge, and run npm run db:generate again.`);
    }
    previous = snapshot;
  }
  return { snapshot: previous!, tag: journal.entries.at(-1)!.tag, count: journal.entries.length };
}

/** "table users changed, enum plan added": what differs, by name, for the one-line message. */
function describeDifferences(committed: Snapshot, current: Snapshot): string[] {
  const out: string[] = [];
  for (const section of SECTIONS) {
    const a = (committed[section] ?? {}) as Record<string, unknown>;
    const b = (current[section] ?? {}) as Record<string, unknown>;
    const noun = section.replace(/ies$/, 'y').replace(/s$/, '');
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const name = key.replace(/^public\./, '');
      if (!(key in a)) out.push(`${noun} ${name} added`);
      else if (!(key in b)) out.push(`${noun} ${name} removed`);
      else if (!isDeepStrictEqual(a[key], b[key])) out.push(`${noun} ${name} changed`);
    }
  }
  return out;
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { schema: { type: 'string', default: 'server/src/db/schema/index.ts' }, out: { type: 'string', default: 'drizzle' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(HELP);

  const folder = path.resolve(values.out);
  const { snapshot, tag, count } = lastSnapshot(folder);
  const schemaFile = path.resolve(values.schema);
  if (!existsSync(schemaFile)) throw new ConfigError(`the schema module ${schemaFile} does not exist. Pass its path with --schema.`);
  // Through JSON, as drizzle-kit writes it: the serializer leaves keys set to undefined that a file never holds.
  const current = JSON.parse(JSON.stringify(generateDrizzleJson(await import(pathToFileURL(schemaFile).href)))) as Snapshot;
  if (current.version !== snapshot.version) {
    throw new ConfigError(`drizzle/meta holds format v${snapshot.version} snapshots but drizzle-kit writes v${current.version}. Run npx drizzle-kit up and commit drizzle/.`);
  }
  const differences = describeDifferences(snapshot, current);
  if (differences.length) {
    const shown = differences.slice(0, 5).join(', ') + (differences.length > 5 ? `, and ${differences.length - 5} more` : '');
    console.error(`db:check: the schema has changes no migration holds (${shown}). Run npm run db:generate and commit drizzle/.`);
    process.exitCode = 1;
    return;
  }
  console.log(`db:check: the schema matches the ${count} committed migrations (last: ${tag}).`);
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err);
  console.error(`db:check: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
