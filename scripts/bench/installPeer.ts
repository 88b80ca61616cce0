#!/usr/bin/env tsx
/** `npm run bench:peer`: installs the benchmark's peer (Platformatic DB and a Node 24 to run it) outside the repository. */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PEER_DIR, PEER_PACKAGES, peerInstalled } from './platformaticPeer';

const HELP = `Usage: npm run bench:peer

Installs ${Object.entries(PEER_PACKAGES).map(([n, v]) => `${n}@${v}`).join(' and ')} from the npm registry into
BENCH_PEER_DIR (now ${PEER_DIR}), outside the repository and its package.json: the peer needs
Node 22+, this project runs on 20, and its ~480 packages are the benchmark's business only.
npm run bench runs it when it is there and says so when it is not. Takes minutes; once.

  --help   show this text`;

const { values } = parseArgs({ options: { help: { type: 'boolean' } } });
if (values.help) {
  console.log(HELP);
} else if (peerInstalled()) {
  console.log(`bench:peer: already installed in ${PEER_DIR}`);
} else {
  mkdirSync(PEER_DIR, { recursive: true });
  const specs = Object.entries(PEER_PACKAGES).map(([n, v]) => `${n}@${v}`);
  console.log(`bench:peer: npm install ${specs.join(' ')} into ${PEER_DIR}`);
  // Its engines field asks for Node 22; npm only warns about it, and the Node 24 it installs runs it.
  const npm = spawnSync('npm', ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--loglevel=error', ...specs], { stdio: 'inherit' });
  if (npm.status !== 0 || !peerInstalled()) {
    console.error(`bench:peer: npm install failed (exit ${npm.status})`);
    process.exit(1);
  }
  console.log(`bench:peer: installed in ${PEER_DIR}`);
}
