// The server as one esbuild bundle (packages stay external): `npm start` loads it with plain Node
// instead of compiling ~150 TypeScript modules through tsx's loader on every start (~2 s of CPU
// here). Plain JavaScript, so the launcher needs no loader to run it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_ENTRY = path.join(ROOT, 'server/src/main.ts');
export const SERVER_BUNDLE = path.join(ROOT, 'dist/server/main.mjs');
const STAMP = `${SERVER_BUNDLE}.stamp`;

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A hash of what the bundle is built from: the server's and the contract's sources, tsconfig and the lockfile. */
export function serverSourceHash() {
  const hash = createHash('sha256');
  const files = [...listFiles(path.join(ROOT, 'server/src')), ...listFiles(path.join(ROOT, 'contract')), path.join(ROOT, 'tsconfig.json'), path.join(ROOT, 'package-lock.json')];
  for (const file of files.filter((f) => existsSync(f)).sort()) hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/**
 * Builds dist/server/main.mjs when it is missing or older than the sources; resolves to
 * 'fresh' or 'built'. Throws when esbuild is not installed.
 */
export async function ensureServerBundle() {
  const hash = serverSourceHash();
  if (existsSync(SERVER_BUNDLE) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return 'fresh';
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [SERVER_ENTRY],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    logLevel: 'error',
  });
  mkdirSync(path.dirname(SERVER_BUNDLE), { recursive: true });
  // Each file written beside and renamed, the bundle last: a concurrent start sees the old or the new one, whole.
  for (const file of [...result.outputFiles].sort((a, b) => Number(a.path === SERVER_BUNDLE) - Number(b.path === SERVER_BUNDLE))) {
    const tmp = `${file.path}.${process.pid}`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  writeFileSync(STAMP, hash);
  return 'built';
}
