#!/usr/bin/env tsx
/** `npm run adopt -- [--out opsroom.adopt.json] [--schema public]`: describe an existing database for opsroom. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogTablesOf, mergeMapping, parseMapping, resourceNameOf, specFor, type Mapping } from '../server/src/adopt/mapping';
import { recogniseCapabilities } from '../server/src/adopt/presets';
import { openCatalogSource } from '../server/src/adopt/source';
import { loadEnvFiles } from '../server/src/config/env';
import { describeFailure } from '../server/src/db/errors';

const HELP = `Usage: npm run adopt -- [--out <file>] [--schema <name>]... [--check]

Reads the tables, views, keys, foreign keys, enums, indexes and row estimates of the database at
DATABASE_URL (postgres://, or mysql:// / mariadb:// for MySQL 8 and MariaDB 10.11+; or the
embedded PGlite at PGLITE_DIR) and writes opsroom.adopt.json: one resource per
table, and the capabilities (credits, bans, badges, refunds, affiliate payouts, API-key revocation)
its tables support, each with why it matched or what it is missing. Only reads the catalog: no DDL,
no writes to the database.

Run it again after the app's schema changes: your edits to existing resources and capabilities are
kept, new tables are added, and tables that are gone are listed.
  --out      where to write (default ./opsroom.adopt.json)
  --schema   a schema to adopt; repeat for several (default public, or the file's own list;
             on MySQL, public is the database the URL names and other names are databases)
  --check    print what would change and exit 1 if the file is out of date; write nothing

Then: OPSROOM_ADOPT=./opsroom.adopt.json npm run admin:create -- --email you@example.com
      OPSROOM_ADOPT=./opsroom.adopt.json npm start`;

/**
 * Tables a capability keeps consistent (a balance and its ledger, XP totals) start read-only in the
 * generic views: an edit there would break balance == ledger sum. The capability still writes them.
 */
function protectLedgers(mapping: Mapping) {
  for (const c of Object.values(mapping.capabilities)) {
    if (!c.enabled) continue;
    const owned = c.kind === 'credits' ? [c.balance.resource, c.ledger.resource] : c.kind === 'badges' ? [c.xp?.resource, c.xpLedger?.resource] : [];
    for (const name of owned) if (name && mapping.resources[name]) mapping.resources[name].readOnly = true;
  }
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'opsroom.adopt.json' }, schema: { type: 'string', multiple: true }, check: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);
  loadEnvFiles();
  const out = path.resolve(values.out!);
  const previous: Mapping | undefined = existsSync(out) ? parseMapping(JSON.parse(readFileSync(out, 'utf8')), out) : undefined;
  const schemas = values.schema?.length ? values.schema : (previous?.schemas ?? ['public']);

  const source = await openCatalogSource();
  try {
    const catalog = await source.readCatalog(schemas);
    const tables = catalogTablesOf(catalog, schemas);
    const fresh: Mapping = {
      version: 1,
      schemas,
      resources: Object.fromEntries(tables.map((t) => [resourceNameOf(t), specFor(t, tables)])),
      capabilities: recogniseCapabilities(tables),
    };
    protectLedgers(fresh);
    const { mapping, gone } = mergeMapping(fresh, previous && { ...previous, schemas });
    const text = `${JSON.stringify(mapping, null, 2)}\n`;
    const views = tables.filter((t) => t.kind === 'view').length;
    console.log(`adopt: ${tables.length - views} tables and ${views} views in ${schemas.join(', ')}`);
    for (const [key, c] of Object.entries(mapping.capabilities)) console.log(`  ${c.enabled ? '✓' : '·'} ${key}: ${c.reason}`);
    for (const name of gone) console.log(`  ! ${name} is in ${path.basename(out)} but no longer in the database (kept; remove it or the server will refuse to start)`);
    if (values.check) {
      const same = previous !== undefined && readFileSync(out, 'utf8') === text;
      console.log(same ? `adopt: ${out} is up to date` : `adopt: ${out} is out of date; run npm run adopt`);
      process.exitCode = same ? 0 : 1;
      return;
    }
    writeFileSync(out, text);
    console.log(`adopt: wrote ${out}${previous ? ' (your edits kept)' : ''}`);
  } finally {
    await source.close();
  }
}

main().catch((err) => {
  const line = describeFailure(err);
  console.error(`adopt: ${line ?? (err as Error).stack}`);
  process.exit(1);
});
