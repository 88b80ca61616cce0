import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

// `npm run dev`: the API server (restarted by tsx watch on change) and Vite with hot reload.
// Vite proxies /api and /healthz to the API, so the browser sees one origin, as in production.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const api = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'watch', path.join(root, 'server/src/main.ts')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, OPSROOM_SKIP_CONSOLE_BUILD: '1' },
});

const vite = await createServer({ configFile: path.join(root, 'admin/vite.config.ts'), server: { port: Number(process.env.VITE_PORT ?? 5173) } });
await vite.listen();
vite.printUrls();

const stop = async () => {
  api.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
api.on('exit', (code) => {
  if (code !== null && code !== 0) console.error(`API server exited with ${code}`);
});
