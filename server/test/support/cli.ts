import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { engines, type Engine } from './engines';
import { setUpOnce } from './setUpOnce';

/** The repository root, and the tsx binary itself: `npx` would add its own warnings to stderr. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

// Variables a developer's shell or vitest may hold that would change what a CLI connects to.
const CLEARED = ['DATABASE_URL', 'DATABASE_READ_URL', 'DB_POOLER', 'PGLITE_DIR', 'PORT', 'HOST', 'POSTGRES_URL', 'ENVIRONMENT', 'NODE_ENV', 'OPSROOM_ENCRYPTION_KEY', 'SESSION_SECRET', 'LOG_LEVEL'];

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLEARED) delete out[name];
  // These children test the server process, not the console: without this, a console build the
  // browser tests run at the same moment holds the build lock and the child waits on it.
  return { ...out, OPSROOM_SKIP_CONSOLE_BUILD: '1', ...env };
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Defaults to a fresh temp folder, so no .env file or .data folder of the repository is used. */
  cwd?: string;
  /** Run the script with plain `node` and these flags instead of tsx, as `npm start` runs scripts/start.mjs. */
  node?: string[];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'opsroom-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts `tsx <script>` (a path relative to the repository root) as the real CLI would run. */
export function startCli(script: string, args: string[] = [], opts: CliOptions = {}): ChildProcess & { output: CliResult; exited: Promise<CliResult> } {
  const [command, flags] = opts.node ? [process.execPath, opts.node] : [TSX, []];
  const child = spawn(command, [...flags, path.join(ROOT, script), ...args], {
    cwd: opts.cwd ?? tempDir(),
    env: childEnv(opts.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: CliResult = { code: null, stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (output.stdout += d));
  child.stderr!.on('data', (d) => (output.stderr += d));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(Object.assign(output, { code })));
  });
  return Object.assign(child, { output, exited });
}

export function runCli(script: string, args: string[] = [], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(script, args, opts).exited;
}

/** Polls until `check` returns (or resolves to) a value, or fails after `timeoutMs`: no fixed sleeps. */
export async function pollFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `npm start`'s entry point (`node scripts/start.mjs`, with extra Node flags if given) on a free
 * port, polled until it prints its address and `/readyz` answers 200. The caller ends it.
 */
export async function startUntilReady(env: Record<string, string>, opts: { cwd: string; node?: string[]; timeoutMs?: number }) {
  const app = startCli('scripts/start.mjs', [], { cwd: opts.cwd, node: opts.node, env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' } });
  try {
    const url = await pollFor(
      () => {
        if (app.output.code !== null) throw new Error(`npm start exited early: ${app.output.stderr}`);
        return /opsroom listening on (http:\/\/\S+)/.exec(app.output.stdout)?.[1];
      },
      'the "listening" line',
      opts.timeoutMs ?? 90_000,
    );
    // Readiness, not the console page: that page answers 503 while a first start still builds the console.
    const res = await fetch(`${url}/readyz`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
    return app;
  } catch (err) {
    if (app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    throw err;
  }
}

/**
 * A fresh, empty database for CLIs run as child processes: a PGlite data folder on disk (an
 * in-memory one cannot be shared with another process) or a new database on the real server.
 */
export async function cliDatabase(engine: Engine): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (engine.name === 'pglite') {
    const dir = tempDir('opsroom-pglite-');
    return { env: { PGLITE_DIR: path.join(dir, 'pglite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const created = await engine.create();
  return { env: { DATABASE_URL: created.url! }, drop: created.drop };
}

/** Runs `fn` against a fresh cliDatabase, dropped afterwards whatever `fn` does. */
export async function withCliDatabase<T>(engine: Engine, fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const database = await cliDatabase(engine);
  try {
    return await fn(database.env);
  } finally {
    await database.drop();
  }
}

export interface CliDatabaseContext {
  engine: Engine['name'];
  /** DATABASE_URL or PGLITE_DIR of this block's fresh database. */
  env: Record<string, string>;
  /** This block's working folder (backups, the dev encryption key…), removed afterwards. */
  cwd: string;
  /** Runs a CLI in `cwd` against this block's database. */
  run(script: string, args?: string[]): Promise<CliResult>;
}

/**
 * describeEachEngine for CLIs: one `describe` per engine, each with a fresh database the child
 * processes can reach, and optionally migrated first with the real `db:migrate`.
 */
export function describeEachCliEngine(
  name: string,
  body: (ctx: () => CliDatabaseContext, engine: Engine['name']) => void,
  opts: { migrate?: boolean } = {},
) {
  for (const engine of engines) {
    describe(`${name} [${engine.name}]`, () => {
      const ctx = setUpOnce('the test database', async () => {
        const database = await cliDatabase(engine);
        const cwd = tempDir('opsroom-cli-');
        const close = async () => {
          await database.drop();
          rmSync(cwd, { recursive: true, force: true });
        };
        const block = { engine: engine.name, env: database.env, cwd, run: (script: string, args: string[] = []) => runCli(script, args, { cwd, env: database.env }), close };
        if (opts.migrate) {
          const migrated = await block.run('scripts/db-migrate.ts');
          if (migrated.code !== 0) {
            await close();
            throw new Error(`db:migrate failed: ${migrated.stderr}`);
          }
        }
        return block;
      });
      body(ctx, engine.name);
    });
  }
}
