import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  files: { file: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
}

/**
 * What the login page downloads before it can render: every script index.html loads (the chunk
 * loader, the entry chunk and the chunks it imports statically; admin/build/classicChunks.ts lists
 * them all there). Lazy chunks (the dashboard, the resource views) are left out: the login page
 * never asks for them.
 */
export function measureInitialJs(distDir: string): InitialJs {
  const indexFile = path.join(distDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: run npm run build:admin first`);
  const sources = [...readFileSync(indexFile, 'utf8').matchAll(/<script\b[^>]*\bsrc="\/([^"]+)"/g)].map((m) => m[1]!);
  if (!sources.length) throw new Error(`${indexFile} loads no script`);
  const files = sources.map((file) => {
    const content = readFileSync(path.join(distDir, file));
    return { file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzip: files.reduce((s, f) => s + f.gzip, 0),
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

// `npm run admin:size`: builds when stale, then prints the figure the README quotes.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { ensureConsoleBuilt } = await import('../../server/src/http/ensureConsoleBuilt');
  const { distDir } = await ensureConsoleBuilt();
  const size = measureInitialJs(distDir);
  for (const f of size.files) console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(12)}  gzip ${kb(f.gzip).padStart(10)}`);
  console.log(`initial JS for the login page: ${kb(size.bytes)} (gzip ${kb(size.gzip)})`);
}
