/**
 * `npm run bench:console -- --compare <checkout>`: this checkout against another (a commit before a
 * change, a branch), each served by its own process from its own code, measured by one Chromium in
 * the same run. New tabs and reloads alternate between the two, list by list, so the machine's
 * noise falls on both alike; the answer is a ratio. `--compare .` measures the method's own noise.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from '../../admin/test/support/browser';
import { REPO_ROOT } from '../../server/src/repoRoot';
import { signInByForm } from './consoleServer';
import { summarize } from './latency';

interface Side {
  name: string;
  root: string;
  url: string;
  email: string;
  password: string;
  child: ChildProcess;
}

/** The checkout's commit, and whether its work tree has changes on top. */
function describeCheckout(root: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'not a git checkout';
  }
}

/** Starts `root`'s server in a child process (scripts/bench/consoleServer.ts) and waits for its JSON line. */
async function serve(name: string, root: string): Promise<Side> {
  if (!existsSync(path.join(root, 'server', 'src', 'server.ts'))) throw new Error(`--compare: ${root} is not an opsroom checkout (no server/src/server.ts)`);
  if (!existsSync(path.join(root, 'node_modules'))) throw new Error(`--compare: ${root} has no node_modules: run npm ci there (or link this checkout's node_modules when the lockfiles match)`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'bench', 'consoleServer.ts'), '--root', root], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => l.startsWith('{') && resolve(l));
    child.once('exit', (code) => reject(new Error(`--compare: the server of ${root} exited (${code}) before it was ready`)));
  });
  return { name, root, child, ...(JSON.parse(line) as { url: string; email: string; password: string }) };
}

/** One cold load in a new tab, then its reload: ms until the first row shows. */
async function coldAndReload(context: BrowserContext, url: string, firstRow: string) {
  const page = await context.newPage();
  try {
    let started = performance.now();
    await page.goto(url);
    await page.locator(firstRow).first().waitFor({ timeout: 30_000 });
    const cold = performance.now() - started;
    started = performance.now();
    await page.reload();
    await page.locator(firstRow).first().waitFor({ timeout: 30_000 });
    return { cold, reload: performance.now() - started };
  } finally {
    await page.close();
  }
}

export async function compareConsoles(opts: { other: string; lists: string[]; firstRow: string; iterations: number; chromiumArgs: string[] }) {
  const other = path.resolve(opts.other);
  const started = await Promise.allSettled([serve('this checkout', REPO_ROOT), serve(path.relative(process.cwd(), other) || '.', other)]);
  const sides = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    for (const side of sides) side.child.kill('SIGTERM');
    throw failed.reason;
  }
  // Cookies ignore the port: the other side is reached as localhost, so the two sessions never mix.
  sides[1]!.url = sides[1]!.url.replace('127.0.0.1', 'localhost');
  const browser = await launchBrowser({ args: opts.chromiumArgs });
  try {
    for (const side of sides) await (await signInByForm(browser.context, side.url, side)).close();
    const samples = sides.map(() => ({ cold: [] as number[], reload: [] as number[] }));
    // Round 0 warms both (HTTP cache, code cache) and is not counted.
    for (let round = 0; round <= opts.iterations; round++) {
      for (const [i, list] of opts.lists.entries()) {
        const order = (round + i) % 2 ? [1, 0] : [0, 1];
        for (const s of order) {
          const t = await coldAndReload(browser.context, `${sides[s]!.url}/#/${list}`, opts.firstRow);
          if (round > 0) {
            samples[s]!.cold.push(t.cold);
            samples[s]!.reload.push(t.reload);
          }
        }
      }
    }
    const [mine, theirs] = samples.map((s) => ({ cold: summarize(s.cold), reload: summarize(s.reload) }));
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    const md = [
      `This checkout (${describeCheckout(REPO_ROOT)}) against ${sides[1]!.name} (${describeCheckout(other)}): ${opts.iterations} rounds of the ${opts.lists.length} lists (${opts.iterations * opts.lists.length} loads a side), new tabs alternating, load average ${load}, ${os.cpus().length} cores.`,
      '',
      '| | this checkout p50 / p95 (ms) | other p50 / p95 (ms) | ratio this / other (p50) |',
      '| --- | ---: | ---: | ---: |',
      `| cold (new tab) | ${mine!.cold.p50.toFixed(0)} / ${mine!.cold.p95.toFixed(0)} | ${theirs!.cold.p50.toFixed(0)} / ${theirs!.cold.p95.toFixed(0)} | ${(mine!.cold.p50 / theirs!.cold.p50).toFixed(2)} |`,
      `| reload | ${mine!.reload.p50.toFixed(0)} / ${mine!.reload.p95.toFixed(0)} | ${theirs!.reload.p50.toFixed(0)} / ${theirs!.reload.p95.toFixed(0)} | ${(mine!.reload.p50 / theirs!.reload.p50).toFixed(2)} |`,
    ].join('\n');
    console.log(md);
    const dir = path.join('bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'console-compare.md'), `${md}\n`);
    writeFileSync(path.join(dir, 'console-compare.json'), `${JSON.stringify({ at: new Date().toISOString(), load: os.loadavg(), other, iterations: opts.iterations, samples }, null, 2)}\n`);
  } finally {
    await browser.close();
    for (const side of sides) side.child.kill('SIGTERM');
  }
}
