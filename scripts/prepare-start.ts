#!/usr/bin/env tsx
/** `npm install` runs this (postinstall): does once what every first `npm start` would otherwise wait for. */
import { parseArgs } from 'node:util';
import { loadEnvFiles, readConfig } from '../server/src/config/env';
import { loadKeyRing } from '../server/src/crypto/secretBox';
import { ensureTemplate } from '../server/src/db/pgliteTemplate';
import { ensureConsoleBuilt } from '../server/src/http/ensureConsoleBuilt';
import { ensureServerBundle } from './start/serverBundle.mjs';

const HELP = `Usage: npm run prepare:start   (npm install runs it after installing)

Prepares what the first npm start would otherwise do while you wait, each step skipped when
already current:
  - the server bundle (dist/server/main.mjs), which npm start runs instead of the TypeScript sources
  - the console build (admin/dist)
  - with no DATABASE_URL: a template of the embedded database (.data/pglite-template: PGlite's
    initdb, the migrations, the demo data), copied by the first start on an empty PGLITE_DIR

A step that fails prints one line and is left to npm start; the install never fails because of it.
OPSROOM_SKIP_PREPARE=1 skips everything (npm start then does it on its first run).

  --help   show this text`;

const print = (line: string) => console.log(line);
const failed = (what: string) => (err: unknown) => print(`prepare: ${what} skipped (${(err as Error).message.split('\n')[0]}); npm start will do it`);

async function embeddedTemplate() {
  loadEnvFiles();
  const config = readConfig();
  if (config.database.driver !== 'pglite') return;
  await ensureTemplate(loadKeyRing(config.encryptionKey), print);
}

async function main(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);
  if (process.env.OPSROOM_SKIP_PREPARE) return print('prepare: skipped (OPSROOM_SKIP_PREPARE is set)');
  await ensureServerBundle().then((status) => status === 'built' && print('prepare: server bundle in dist/server'), failed('the server bundle'));
  // Vite works on its own threads while PGlite runs initdb on this one.
  await Promise.all([embeddedTemplate().catch(failed('the embedded database template')), ensureConsoleBuilt({ print }).catch(failed('the console build'))]);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    console.error(`prepare: ${(err as Error).message}`);
    process.exit(0);
  },
);
