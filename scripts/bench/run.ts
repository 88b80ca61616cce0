#!/usr/bin/env tsx
/** `npm run bench`: operator-query latency (REST vs direct pg), the bare Express + pg ceiling, a Platformatic DB peer and load, on real Postgres. */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { hashPassword } from '../../server/src/auth/passwords';
import { SESSION_COOKIE } from '../../server/src/auth/sessions';
import { describeFailure } from '../../server/src/db/errors';
import { ensureConsoleBuilt } from '../../server/src/http/ensureConsoleBuilt';
import { DEFAULT_BENCH_URL } from './benchDatabase';
import { closeHttpClient, get, post } from './httpClient';
import { summarize, timed } from './latency';
import { medianLoad, runLoad, type LoadResult } from './load';
import { operatorQueries, readFixtures, type OperatorQuery } from './operatorQueries';
import { PEER_DIR, startPlatformaticPeer, type PeerServer } from './platformaticPeer';
import { prepareDatabase } from './prepareDatabase';
import { step } from './progress';
import { evaluateTargets, toMarkdown, updateReadmes, writeResults, type BenchResults, type QueryResult } from './report';
import { measureStartup, type StartupResult } from './startup';
import { replay, replayPlan } from './sqlCapture';
import { startContenders, type Contenders } from './contendersClient';
import { parseSize } from './sizes';

const HELP = `Usage: npm run bench [-- --size small|medium|default] [options]

Prepares BENCH_DATABASE_URL (default ${DEFAULT_BENCH_URL}; see npm run bench:generate), boots the
real server on it, signs in as an operator and measures each operator query through the REST API
and, in the same run, the same SQL sent directly with pg (the floor). Then, under load with
autocannon: opsroom, the ceiling (a bare Express 5 + pg handler sending the same SQL, with and
without the session lookup) and the peer, Platformatic DB on the same database (run with Node 24
from ${PEER_DIR}, installed by npm run bench:peer). Writes bench/results/<size>.md
and .json; a default-size run also refreshes the table in bench/README.md.

  --size <name>        small, medium, default (1M users…) or users=<n>,… (default: default)
  --fresh              regenerate the data even if it is already at this size
  --iterations <n>     measured requests per query (default 200)
  --warmup <n>         unmeasured requests per query first (default 20)
  --connections <n>    autocannon connections (default 10)
  --load-seconds <n>   seconds per load run, 0 to skip load (default 10)
  --rounds <n>         load rounds: every contender once per round, medians reported (default 3)
  --startup-rounds <n> npm start fresh and warm vs a bare Express boot, alternating (default 3, 0 skips)
  --no-peer            skip Platformatic DB
  --jobs <n>           connections generating data (default 2)
  --help               show this text`;

const pick = (env: NodeJS.ProcessEnv, names: string[]) => Object.fromEntries(names.filter((n) => env[n]).map((n) => [n, env[n]]));

const OPERATOR_EMAIL = 'bench-operator@opsroom.bench';

function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw Object.assign(new Error(`--${name} must be a whole number >= ${min} (got "${raw}")`), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
  return n;
}

/** An admin the bench signs in as; upserted so reruns reuse it. */
async function upsertOperator(pool: pg.Pool): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  await pool.query(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Bench operator', 'admin', $2)
     ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = 'admin', banned = false`,
    [OPERATOR_EMAIL, await hashPassword(password)],
  );
  return password;
}

async function signIn(baseUrl: string, password: string): Promise<string> {
  const res = await post(`${baseUrl}/api/auth/login`, { email: OPERATOR_EMAIL, password });
  if (res.status !== 200) throw new Error(`bench operator could not sign in (HTTP ${res.status}): ${res.body.slice(0, 200)}`);
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!session) throw new Error('sign-in answered 200 without a session cookie');
  return session;
}

async function machineInfo(pool: pg.Pool) {
  const settings = Object.fromEntries(
    (await pool.query<{ name: string; setting: string }>("SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit')")).rows.map((r) => [r.name, r.setting]),
  );
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    ramGb: Math.round(os.totalmem() / 2 ** 30),
    postgres: (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v.split(' ')[0]!,
    node: process.versions.node,
    os: `${os.type()} ${os.release()}`,
    postgresSettings: settings,
  };
}

/** The session check is the API's own cost, not the operator query's: it stays out of the floor. */
const isSessionCheck = (text: string) => /from "operator_sessions"/i.test(text);

/**
 * A query slower than the targets by orders of magnitude would hold the whole run hostage
 * (200 × 2 × 1.3 s); past this budget it stops at MIN_SAMPLES, and `n` in the JSON says so.
 */
const QUERY_BUDGET_MS = 20_000;
const MIN_SAMPLES = 10;

async function measureQuery(q: OperatorQuery, opsroom: Contenders, cookie: string, pool: pg.Pool, iterations: number, warmup: number): Promise<QueryResult> {
  const baseUrl = opsroom.url;
  const headers = { cookie };
  const first = await get(baseUrl + q.path, headers);
  if (first.status !== 200) return { id: q.id, label: q.label, path: q.path, skipped: `HTTP ${first.status}: ${first.body.slice(0, 120)}` };
  const range = first.headers['content-range'] as string | undefined;
  if (q.list && !range) throw new Error(`${q.id}: the list answered without Content-Range`);
  const t0 = performance.now();
  const over = (ms: number) => performance.now() - t0 > ms;
  for (let i = 0; i < warmup && !over(QUERY_BUDGET_MS / 4); i++) await get(baseUrl + q.path, headers);

  const { queries } = await opsroom.capture(() => get(baseUrl + q.path, headers));
  const plan = replayPlan(queries.filter((s) => !isSessionCheck(s.config.text)));
  for (let i = 0; i < warmup && !over(QUERY_BUDGET_MS / 2); i++) await replay(pool, plan);

  // Interleaved, so noise from anything else on the machine lands on both sides alike.
  const rest: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < iterations && !(i >= MIN_SAMPLES && over(QUERY_BUDGET_MS)); i++) {
    rest.push(await timed(() => get(baseUrl + q.path, headers)));
    floor.push(await timed(() => replay(pool, plan)));
  }
  const r = summarize(rest);
  const f = summarize(floor);
  return {
    id: q.id,
    label: q.label,
    path: q.path,
    total: range?.split('/').pop(),
    totalKind: first.headers['x-total-kind'] as string | undefined,
    statements: queries.length,
    sql: queries.map((s) => s.config.text),
    rest: r,
    floor: f,
    ratio: Math.round((r.p50 / f.p50) * 100) / 100,
  };
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: 'string' },
      fresh: { type: 'boolean' },
      iterations: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      'load-seconds': { type: 'string' },
      'no-peer': { type: 'boolean' },
      rounds: { type: 'string' },
      'startup-rounds': { type: 'string' },
      jobs: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return console.log(HELP);
  const started = performance.now();
  const loadStart = Math.round(os.loadavg()[0]! * 10) / 10;
  const startedAt = new Date().toISOString();
  const size = parseSize(values.size);
  const iterations = intOption('iterations', values.iterations, 200, 1);
  const warmup = intOption('warmup', values.warmup, 20, 0);
  const connections = intOption('connections', values.connections, 10, 1);
  const loadSeconds = intOption('load-seconds', values['load-seconds'], 10, 0);
  const jobs = intOption('jobs', values.jobs, 2, 1);
  const rounds = intOption('rounds', values.rounds, 3, 1);
  const startupRounds = intOption('startup-rounds', values['startup-rounds'], 3, 0);

  const prepared = await prepareDatabase({ sizes: size.sizes, fresh: values.fresh, jobs });
  // Same pool size as the server's default (DB_POOL_MAX=10), so the floor gets no extra parallelism.
  const pool = new pg.Pool({ connectionString: prepared.url, max: 10, application_name: 'opsroom-bench-floor' });
  let server: Contenders | undefined;
  let peer: PeerServer | undefined;
  let peerStarting: Promise<PeerServer> | undefined;
  let bare: { url: string } | undefined;
  try {
    const password = await upsertOperator(pool);
    // The environment `npm start` would read (readConfig derives the settings in the child), on
    // the Node that runs the peer when it is installed, so every contender runs on one runtime.
    server = await step('start opsroom', () =>
      startContenders({
        ENVIRONMENT: 'bench',
        DATABASE_URL: prepared.url,
        HOST: '127.0.0.1',
        PORT: '0',
        OPSROOM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        SESSION_SECRET: randomBytes(32).toString('base64'),
        ...(pick(process.env, ['DATABASE_READ_URL', 'DB_POOL_MAX', 'DB_POOLER', 'OPSROOM_EXACT_COUNT_LIMIT']) as Record<string, string>),
      }),
    );
    console.log(`opsroom and the bare handler run on Node ${server.node}${server.node === process.version ? ' (the peer\'s Node 24 is not installed)' : ''}`);
    const cookie = await signIn(server.url, password);
    // The first request of a session is the one that reads it from the database: its statement is the bare handler's session lookup.
    const sessionPlan = replayPlan((await server.capture(() => get(`${server!.url}/api/auth/me`, { cookie }))).queries.filter((q) => isSessionCheck(q.config.text)));
    if (!sessionPlan.queries.length) throw new Error('no session lookup captured on the first request of a session');
    const fixtures = await readFixtures(pool);
    // It introspects every table before it listens (30-100 s here): started now, it does so while opsroom is measured.
    if (!values['no-peer']) {
      peerStarting = startPlatformaticPeer(prepared.url, fixtures);
      peerStarting.catch(() => {});
    }

    const queries: QueryResult[] = [];
    for (const q of operatorQueries(fixtures)) {
      const result = await step(`measure ${q.id}`, () => measureQuery(q, server!, cookie, pool, iterations, warmup));
      queries.push(result);
    }

    const getOnePath = queries.find((q) => q.id === 'get_one')!.path;
    const listPath = queries.find((q) => q.id === 'users_recent')!.path;
    const ledgerPath = queries.find((q) => q.id === 'user_ledger')!.path;
    const planOf = async (p: string) => replayPlan((await server!.capture(() => get(server!.url + p, { cookie }))).queries.filter((q) => !isSessionCheck(q.config.text)));
    bare = await server.startBare([
      { path: '/getOne', plan: await planOf(getOnePath), list: false },
      { path: '/list', plan: await planOf(listPath), list: true },
    ], sessionPlan);

    let peerResult: BenchResults['peer'];
    if (peerStarting) peer = await step('wait for Platformatic DB', () => peerStarting!).catch((err) => void console.error(`peer skipped: ${(err as Error).message}`));
    if (peer) {
      // Alternately with opsroom on the same query, request by request, as the floor is: measured
      // one after the other, a burst of other work on the machine lands on one side only.
      const sideBySide = async (ours: string, theirs: string) => {
        const first = await get(peer!.url + theirs);
        if (first.status !== 200) throw new Error(`Platformatic DB ${theirs}: HTTP ${first.status} ${first.body.slice(0, 200)}`);
        for (let i = 0; i < warmup; i++) await get(peer!.url + theirs);
        const opsroom: number[] = [];
        const samples: number[] = [];
        for (let i = 0; i < iterations; i++) {
          opsroom.push(await timed(() => get(server!.url + ours, { cookie })));
          samples.push(await timed(() => get(peer!.url + theirs)));
        }
        return { opsroom: summarize(opsroom), peer: summarize(samples) };
      };
      const list = await step('measure Platformatic DB list', () => sideBySide(listPath, peer!.paths.list));
      const ledger = await step('measure Platformatic DB ledger', () => sideBySide(ledgerPath, peer!.paths.ledger));
      const getOne = await step('measure Platformatic DB getOne', () => sideBySide(getOnePath, peer!.paths.getOne));
      peerResult = {
        name: `Platformatic DB ${peer.version} (Node ${peer.node})`,
        paths: peer.paths,
        list: list.peer,
        ledger: ledger.peer,
        getOne: getOne.peer,
        opsroom: { list: list.opsroom, ledger: ledger.opsroom, getOne: getOne.opsroom },
      };
    }

    const load: BenchResults['load'] = [];
    if (loadSeconds > 0) {
      const auth = { cookie };
      const none = {} as Record<string, string>;
      // Each query's contenders back to back, so a burst of other work on the machine lands on all of them alike.
      const targets = [
        { name: 'bare getOne', url: `${bare.url}/session/getOne`, headers: auth },
        { name: 'opsroom getOne', url: server.url + getOnePath, headers: auth },
        { name: 'bare getOne (no session)', url: `${bare.url}/open/getOne`, headers: none },
        ...(peer ? [{ name: 'platformatic getOne', url: peer.url + peer.paths.getOne, headers: none }] : []),
        { name: 'bare list', url: `${bare.url}/session/list`, headers: auth },
        { name: 'opsroom list', url: server.url + listPath, headers: auth },
        { name: 'bare list (no session)', url: `${bare.url}/open/list`, headers: none },
        ...(peer ? [{ name: 'platformatic list', url: peer.url + peer.paths.list, headers: none }] : []),
        { name: 'opsroom ledger', url: server.url + ledgerPath, headers: auth },
        ...(peer ? [{ name: 'platformatic ledger', url: peer.url + peer.paths.ledger, headers: none }] : []),
      ];
      // Rounds of A, B, C, A, B, C…: a burst of other work lands in one round, and the median drops it.
      const samples = new Map<string, LoadResult[]>();
      for (let round = 1; round <= rounds; round++) {
        for (const t of targets) {
          const result = await step(`load ${t.name} (round ${round}/${rounds})`, () => runLoad(t.url, { connections, seconds: loadSeconds, headers: t.headers }));
          samples.set(t.name, [...(samples.get(t.name) ?? []), result]);
        }
      }
      for (const t of targets) load.push({ name: t.name, ...medianLoad(samples.get(t.name)!) });
    }

    // Last, once the server, the peer and the load generator are idle: start-up alternates its own contenders.
    let startup: StartupResult | undefined;
    if (startupRounds > 0) {
      await step('console build for npm start', () => ensureConsoleBuilt({ print: (line) => console.log(line) }));
      startup = await step('start-up', () => measureStartup(startupRounds, (line) => console.log(line)));
    }

    const partial = {
      startedAt,
      durationSeconds: 0,
      size,
      machine: await machineInfo(pool),
      runtimes: { opsroom: server.node, bare: server.node, peer: peer?.node },
      loadAverage: { start: loadStart, end: Math.round(os.loadavg()[0]! * 10) / 10 },
      data: { generated: prepared.generated, generationSeconds: prepared.seconds },
      iterations,
      queries,
      peer: peerResult,
      load,
      startup,
    };
    const results: BenchResults = { ...partial, durationSeconds: Math.round((performance.now() - started) / 1000), targets: evaluateTargets(partial) };
    const files = writeResults(path.resolve('bench/results'), results);
    const readmes = size.name === 'default' ? updateReadmes([path.resolve('bench/README.md')], results) : [];
    process.stdout.write(`\n${toMarkdown(results)}\nwrote ${[files.md, files.json, ...readmes].map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
  } finally {
    await (peer ?? (await peerStarting?.catch(() => undefined)))?.close();
    await server?.close();
    await pool.end();
    closeHttpClient();
  }
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err, 'BENCH_DATABASE_URL');
  console.error(`bench: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
