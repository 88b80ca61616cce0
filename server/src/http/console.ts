import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';

export interface ConsoleOptions {
  /** The Vite build output (`admin/dist`): index.html plus hashed files under assets/. */
  distDir: string;
  /** True while a build is under way: the server listens before a first start's build is done. */
  building?: () => boolean;
}

// A first start answers the API at once and the console when Vite is done: the page asks again.
const BUILDING_PAGE =
  '<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>opsroom</title>' +
  '<p style="font-family:sans-serif">The console is being built (first start). This page reloads itself.</p>';

// Paths the SPA must never answer: the API gives JSON 404s and the health check is the server's.
const NOT_CONSOLE = /^\/(api|healthz|livez|readyz)(\/|$)/;

/**
 * Serves the built console at `/`. Hashed assets are cached for a year (their names change with
 * their content); index.html is revalidated every time so a deploy is picked up at once. Any other
 * GET outside /api gets index.html, so react-admin's client-side routes survive a reload.
 */
export function mountConsole(app: Express, { distDir, building }: ConsoleOptions): void {
  const indexFile = path.join(distDir, 'index.html');
  app.use(
    '/assets',
    express.static(path.join(distDir, 'assets'), {
      immutable: true,
      maxAge: '1y',
      index: false,
      fallthrough: false,
    }),
  );
  app.use(express.static(distDir, { index: false, maxAge: 0 }));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path)) return next();
    // Checked per request: the build may finish after the server starts (npm run dev, first start).
    if (building?.()) {
      res.status(503).set({ 'Retry-After': '3', 'Cache-Control': 'no-store' }).type('html').send(BUILDING_PAGE);
      return;
    }
    if (!existsSync(indexFile)) {
      res.status(503).type('text').send('The console is not built yet: run `npm run build:admin`.');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
}
