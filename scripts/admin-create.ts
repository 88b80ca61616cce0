#!/usr/bin/env tsx
/** `npm run admin:create -- --email ops@example.com [--role support] [--name "Ops"] [--reset] [--reset-mfa]` */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { resetMfa } from '../server/src/auth/mfa/resetMfa';
import { dialectOf, migrateOpsroomSchema } from '../server/src/adopt/boot';
import { migrateOpsroomMysql } from '../server/src/adopt/mysql/migrate';
import { upsertAdoptedOperator } from '../server/src/adopt/operators';
import { isOperatorRole, OPERATOR_ROLES } from '../contract';
import { OperatorError, upsertOperator } from '../server/src/auth/operators';
import { ConfigError, loadEnvFiles, readConfig } from '../server/src/config/env';
import { connectDatabase } from '../server/src/db/client';
import { describeConnectionError } from '../server/src/db/errors';
import { runMigrations } from '../server/src/db/migrate';

const HELP = `Usage: npm run admin:create -- --email <email> [--role admin|support] [--name <name>] [--reset]
       npm run admin:create -- --email <email> --reset-mfa

Creates a console operator on DATABASE_URL (or the embedded PGlite when it is unset); with
OPSROOM_ADOPT set, in the adopted database's opsroom.operators table.
The password is read from standard input when it is piped (echo "$PW" | npm run admin:create -- …),
from OPSROOM_ADMIN_PASSWORD if set, or prompted for (twice, hidden) on a terminal.
  --role    admin (everything) or support (read-only plus ban/unban); default admin
  --reset   set a new password and role on an existing account
  --reset-mfa  remove the account's authenticator app, recovery codes and passkeys and end its
            sessions (no password asked); the next sign-in sets up a second factor again`;

function die(message: string): never {
  console.error(`admin:create: ${message}`);
  process.exit(1);
}

async function readPassword(): Promise<string> {
  if (process.env.OPSROOM_ADMIN_PASSWORD) return process.env.OPSROOM_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += chunk;
    return data.replace(/\r?\n$/, '');
  }
  // Echo off: write the prompt ourselves and swallow what readline would print back.
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, cb) => (muted || process.stdout.write(chunk), cb()) });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(q);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  rl.close();
  if (first !== second) die('the passwords do not match.');
  return first;
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string', default: 'admin' }, name: { type: 'string' }, reset: { type: 'boolean', default: false }, 'reset-mfa': { type: 'boolean', default: false }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(HELP);
  if (!values.email) die('--email is required (npm run admin:create -- --email ops@example.com).');
  const role = values.role;
  if (!isOperatorRole(role)) die(`--role must be ${OPERATOR_ROLES.join(' or ')}.`);

  loadEnvFiles();
  const config = readConfig();
  const resettingMfa = values['reset-mfa'];
  const password = resettingMfa ? '' : await readPassword();
  const database = await connectDatabase(config.database).catch((err) => {
    if (/lock|already in use/i.test(String(err?.message))) die('the embedded database is in use: stop `npm start` first, or point DATABASE_URL at a server.');
    throw err;
  });
  try {
    const target = database.pglite ? ({ kind: 'pglite', client: database.pglite } as const) : ({ kind: 'pg', url: (config.database as { url: string }).url, ssl: (config.database as { ssl?: { rejectUnauthorized: boolean } }).ssl } as const);
    // On an adopted database (OPSROOM_ADOPT) the operator goes to opsroom's operators table; the app's tables are not touched.
    const place = config.database.driver === 'mysql' && config.adoptFile ? await migrateOpsroomMysql(config.database) : undefined;
    if (config.adoptFile && !place) await migrateOpsroomSchema(target);
    else if (!config.adoptFile) await runMigrations(target);
    if (resettingMfa) {
      if (config.adoptFile) throw new ConfigError('--reset-mfa works on the built-in schema only: adopted databases have no second factor yet.');
      await resetMfa(database.db, values.email);
      return console.log(`second factors removed for ${values.email.toLowerCase()}; they set one up again at their next sign-in`);
    }
    const input = { email: values.email, password, role, name: values.name, reset: values.reset } as const;
    const { created } = config.adoptFile ? await upsertAdoptedOperator(database.db, input, dialectOf(database, place)) : await upsertOperator(database.db, input);
    console.log(`${created ? 'created' : 'updated'} ${values.role} ${values.email.toLowerCase()}`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  if (err instanceof OperatorError || err instanceof ConfigError) die(err.message);
  die(describeConnectionError(err) ?? (err as Error).message);
});
