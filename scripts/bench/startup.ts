import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** One start: milliseconds from spawn to the first 200 from /readyz, and to each line the server printed on the way. */
export interface StartSample {
  readyMs: number;
  /**
   * CPU time (user + system, ms) the started process group had used when /readyz first answered:
   * what the start costs, steadier than wall time on a machine other work shares.
   */
  cpuMs?: number;
  /** ms from spawn to: the first line printed, the last migration line, the seed line, "listening". */
  phases: { firstLine?: number; migrated?: number; seeded?: number; listening?: number };
}

export interface StartupResult {
  rounds: number;
  /** A bare Express 5 app in plain `node -e` answering /readyz: what any Node HTTP server pays to start here. */
  baseline: StartSample[];
  /** `npm start` on an empty PGlite folder: initdb, every migration, the demo seed. */
  fresh: StartSample[];
  /** `npm start` again on the folder the fresh start left. */
  warm: StartSample[];
}

const BASELINE = `const express = require('express'); const app = express();
app.get('/readyz', (_req, res) => { res.json({ status: 'ready' }); });
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function readyzOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** utime + stime + the waited-for children's of every live process in group `pgid`, from /proc (Linux). */
function groupCpuMs(pgid: number): number | undefined {
  let ticks = 0;
  let seen = false;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue;
    seen = true;
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  // USER_HZ is 100 on Linux.
  return seen ? ticks * 10 : undefined;
}

/**
 * Spawns `command` in its own process group, polls /readyz every 20 ms until it answers 200, then
 * ends the group with SIGTERM (opsroom closes PGlite cleanly on it) and waits for the exit.
 */
async function timeStart(command: string, args: string[], env: NodeJS.ProcessEnv, port: number): Promise<StartSample> {
  const t0 = performance.now();
  const child = spawn(command, args, { cwd: process.cwd(), env: { ...env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const phases: StartSample['phases'] = {};
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const onLine = (chunk: Buffer) => {
    const at = Math.round(performance.now() - t0);
    output += chunk;
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim() || line.startsWith('npm warn') || line.startsWith('>')) continue;
      phases.firstLine ??= at;
      if (line.startsWith('migrate:')) phases.migrated = at;
      if (line.startsWith('seed:')) phases.seeded = at;
      if (line.includes('listening')) phases.listening ??= at;
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  try {
    for (;;) {
      if (gone) throw new Error(`${[command, ...args].join(' ')} exited before /readyz answered:\n${output.slice(-2000)}`);
      if (await readyzOk(port)) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${[command, ...args].join(' ')}: /readyz did not answer 200 within 10 minutes`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const readyMs = Math.round(performance.now() - t0);
    return { readyMs, cpuMs: groupCpuMs(child.pid!), phases };
  } finally {
    if (!gone) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

/**
 * Start-up as a user meets it: `npm start` against a fresh embedded database, then again warm,
 * with a bare Express boot as the baseline. The three alternate round by round, so other work on
 * the machine lands on all of them alike; compare medians. The console is built beforehand (a
 * stale one is built alongside, after the server already answers, and is not what is measured).
 */
export async function measureStartup(rounds: number, log: (line: string) => void = () => {}): Promise<StartupResult> {
  const result: StartupResult = { rounds, baseline: [], fresh: [], warm: [] };
  const { DATABASE_URL: _url, DATABASE_READ_URL: _read, ...inherited } = process.env;
  for (let i = 0; i < rounds; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'opsroom-bench-start-'));
    try {
      const env = { ...inherited, HOST: '127.0.0.1', PGLITE_DIR: path.join(dir, 'pglite'), NODE_ENV: 'development' };
      result.baseline.push(await timeStart(process.execPath, ['-e', BASELINE], inherited, await freePort()));
      result.fresh.push(await timeStart('npm', ['start'], env, await freePort()));
      result.warm.push(await timeStart('npm', ['start'], env, await freePort()));
      log(`start-up round ${i + 1}/${rounds}: bare ${result.baseline.at(-1)!.readyMs} ms, fresh ${result.fresh.at(-1)!.readyMs} ms, warm ${result.warm.at(-1)!.readyMs} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

/** The sample with the median time to ready (the lower middle one for an even count). */
export function medianSample(samples: StartSample[]): StartSample | undefined {
  const sorted = [...samples].sort((a, b) => a.readyMs - b.readyMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
