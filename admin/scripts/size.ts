import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface InitialJs {
  files: { file: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
}

/**
 * What the login page downloads before it can render: the entry chunk and every chunk it imports
 * statically (transitively), read from Vite's manifest. Lazy chunks (the dashboard) are left out:
 * the login page never asks for them.
 */
export function measureInitialJs(distDir: string): InitialJs {
  const manifestFile = path.join(distDir, '.vite', 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: run npm run build:admin first`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const files = [...seen].map((key) => {
    const content = readFileSync(path.join(distDir, manifest[key].file));
    return { file: manifest[key].file, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
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
