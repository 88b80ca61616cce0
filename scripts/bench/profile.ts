#!/usr/bin/env tsx
/**
 * `npm run bench:profile -- <getOne|list|ledger>`: opsroom alone on the bench database, under autocannon
 * load for 10 s, with this process under --cpu-prof (see bench/README.md, "Where a request's time goes").
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { readConfig } from '../../server/src/config/env';
import { createLogger } from '../../server/src/logger';
import { startServer } from '../../server/src/server';
import { DEFAULT_BENCH_URL } from './benchDatabase';
import { closeHttpClient, post } from './httpClient';
import { runLoad } from './load';
import { operatorQueries, readFixtures } from './operatorQueries';
import { hashPassword } from '../../server/src/auth/passwords';

const which = process.argv[2] ?? 'getOne';
const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
const pool = new pg.Pool({ connectionString: url, max: 2 });
const email = 'bench-profile@opsroom.bench';
const password = randomBytes(18).toString('base64url');
await pool.query(
  `INSERT INTO users (email, name, role, password_hash, invite_code) VALUES ($1, 'Bench profile', 'admin', $2, $3)
   ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = 'admin', banned = false`,
  [email, await hashPassword(password), randomBytes(4).toString('hex').toUpperCase()],
);
const fixtures = await readFixtures(pool);
const config = readConfig({ ENVIRONMENT: 'bench', DATABASE_URL: url, HOST: '127.0.0.1', PORT: '0', OPSROOM_ENCRYPTION_KEY: randomBytes(32).toString('base64'), SESSION_SECRET: randomBytes(32).toString('base64') });
const server = await startServer({ config, logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }), devKeyFile: path.join(os.tmpdir(), 'opsroom-bench-unused.key') });
const login = await post(`${server.url}/api/auth/login`, { email, password });
const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
const ids: Record<string, string> = { getOne: 'get_one', list: 'users_recent', ledger: 'user_ledger' };
const q = operatorQueries(fixtures).find((x) => x.id === ids[which]);
if (!q) throw new Error(`unknown query "${which}": getOne, list or ledger`);
const result = await runLoad(server.url + q.path, { connections: 10, seconds: 10, headers: { cookie } });
console.log(JSON.stringify(result));
await server.close();
await pool.end();
closeHttpClient();
