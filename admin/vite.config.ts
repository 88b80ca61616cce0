import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { classicChunks } from './build/classicChunks.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API server `npm run dev` starts next to Vite; the proxy keeps the console same-origin, so the
// session cookie (SameSite=Strict) and the CSRF header work exactly as in production.
const api = process.env.OPSROOM_API_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root,
  plugins: [react(), classicChunks()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api, changeOrigin: false },
    },
  },
});
