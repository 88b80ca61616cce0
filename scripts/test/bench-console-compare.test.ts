import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from '../../admin/test/support/browser';
import { ROOT, runCli, tempDir } from '../../server/test/support/cli';

const missing = chromiumMissing();
if (missing) console.warn(missing);

// The CLI runs in a temp folder, so its results land there, not in the repository's bench/results.
const folders: string[] = [];
const folder = () => {
  const dir = tempDir('opsroom-bench-compare-');
  folders.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!missing)('npm run bench:console -- --compare', { timeout: 240_000 }, () => {
  it('serves both checkouts, opens every list in new tabs on each, and prints and writes the ratio', async () => {
    const cwd = folder();
    const result = await runCli('scripts/bench/consoleCold.ts', ['--compare', ROOT, '--iterations', '1'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^This checkout \([0-9a-f]+.*\) against .* \([0-9a-f]+.*\): 1 rounds of the 5 lists \(5 loads a side\)/);
    expect(result.stdout).toMatch(/\| cold \(new tab\) \| \d+ \/ \d+ \| \d+ \/ \d+ \| \d+\.\d\d \|/);
    expect(result.stdout).toMatch(/\| reload \| \d+ \/ \d+ \| \d+ \/ \d+ \| \d+\.\d\d \|/);
    const written = JSON.parse(readFileSync(path.join(cwd, 'bench/results/console-compare.json'), 'utf8')) as { samples: { cold: number[]; reload: number[] }[] };
    expect(written.samples.map((s) => [s.cold.length, s.reload.length])).toEqual([
      [5, 5],
      [5, 5],
    ]);
    for (const t of written.samples.flatMap((s) => [...s.cold, ...s.reload])) expect(t).toBeGreaterThan(0);
  });

  it('refuses a folder that is not a checkout, naming it, before any browser starts', async () => {
    const cwd = folder();
    const result = await runCli('scripts/bench/consoleCold.ts', ['--compare', cwd], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--compare: ${cwd} is not an opsroom checkout (no server/src/server.ts)`);
    expect(existsSync(path.join(cwd, 'bench/results'))).toBe(false);
  });
});
