import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../repoRoot';

const STAMP = '.build-stamp';

export interface EnsureConsoleOptions {
  /** The repository root (holds admin/ and package-lock.json). */
  rootDir?: string;
  /** Where the one progress line goes. */
  print?: (line: string) => void;
  /** Build even when the stamp matches. */
  force?: boolean;
}

export interface EnsureConsoleResult {
  distDir: string;
  /**
   * built: this call ran Vite; fresh: the existing build matched; prebuilt: no Vite, dist used as
   * is; missing: neither; skipped: OPSROOM_SKIP_CONSOLE_BUILD is set (`npm run dev` serves through Vite).
   */
  status: 'built' | 'fresh' | 'prebuilt' | 'missing' | 'skipped';
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** Where the built console is served from, whether or not it is built yet. */
export function consoleDistDir(rootDir = REPO_ROOT): string {
  return path.join(rootDir, 'admin', 'dist');
}

/** A hash of everything the build reads: sources, the shared contract, index.html, the Vite config and its plugins, the lockfile. */
export function consoleSourceHash(rootDir = REPO_ROOT): string {
  const admin = path.join(rootDir, 'admin');
  const files = [
    ...listFiles(path.join(admin, 'src')),
    ...(existsSync(path.join(rootDir, 'contract')) ? listFiles(path.join(rootDir, 'contract')) : []),
    ...listFiles(path.join(admin, 'build')),
    path.join(admin, 'index.html'),
    path.join(admin, 'vite.config.ts'),
    path.join(rootDir, 'package-lock.json'),
  ].filter((f) => existsSync(f));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(path.relative(rootDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

async function withBuildLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  // mkdir is atomic: two processes (a test run and `npm start`) never build into the same place.
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than a build can take was left by a killed process.
      if (Date.now() - statSync(lockDir).mtimeMs > 300_000) rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Builds the console with Vite when admin/dist is missing or older than its sources, so
 * `npm start` on a fresh clone serves a current console. Production images install without dev
 * dependencies and ship a prebuilt dist: there, a missing Vite is a warning, not a failure.
 */
export async function ensureConsoleBuilt(opts: EnsureConsoleOptions = {}): Promise<EnsureConsoleResult> {
  const rootDir = opts.rootDir ?? REPO_ROOT;
  const print = opts.print ?? ((line: string) => console.log(line));
  const distDir = consoleDistDir(rootDir);
  const stampFile = path.join(distDir, STAMP);
  const isFresh = (hash: string) => existsSync(path.join(distDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;

  if (process.env.OPSROOM_SKIP_CONSOLE_BUILD) return { distDir, status: 'skipped' };
  if (!existsSync(path.join(rootDir, 'admin', 'src'))) {
    return { distDir, status: existsSync(path.join(distDir, 'index.html')) ? 'prebuilt' : 'missing' };
  }
  // A current build needs no Vite: importing it cost a warm restart ~0.35 s of CPU (2 s wall here, under load).
  const hash = consoleSourceHash(rootDir);
  if (!opts.force && isFresh(hash)) return { distDir, status: 'fresh' };
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    const prebuilt = existsSync(path.join(distDir, 'index.html'));
    print(prebuilt ? 'console: vite is not installed; serving the prebuilt admin/dist as is' : 'console: not built and vite is not installed (npm install, then npm run build:admin)');
    return { distDir, status: prebuilt ? 'prebuilt' : 'missing' };
  }

  return withBuildLock(path.join(rootDir, 'admin', '.build-lock'), async () => {
    // Someone else may have built it while this process waited for the lock.
    if (!opts.force && isFresh(hash)) return { distDir, status: 'fresh' as const };
    const started = Date.now();
    // Build beside dist and swap, so a running server never serves a half-written build.
    const tmpDir = path.join(rootDir, 'admin', `.dist-${process.pid}`);
    // Vite honours an inherited NODE_ENV (vitest sets "test"), which would ship React's
    // development build; what the server serves is always a production build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await vite.build({
        configFile: path.join(rootDir, 'admin', 'vite.config.ts'),
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: tmpDir, emptyOutDir: true },
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    writeFileSync(path.join(tmpDir, STAMP), hash);
    rmSync(distDir, { recursive: true, force: true });
    renameSync(tmpDir, distDir);
    print(`console: built admin/dist in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return { distDir, status: 'built' as const };
  });
}
