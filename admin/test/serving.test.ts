import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mountConsole } from '../../server/src/http/console';
import { ensureConsoleBuilt } from '../../server/src/http/ensureConsoleBuilt';
import { measureInitialJs } from '../scripts/size';

describe('serving the built console', () => {
  let dist: string;
  let server: Server;
  let base: string;
  let building = false;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'opsroom-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = express();
    app.use('/api', (_req, res) => {
      res.status(404).json({ message: 'No such API route.' });
    });
    mountConsole(app, { distDir: dist, building: () => building });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dist, { recursive: true, force: true });
  });

  test('hashed assets are cached for a year, index.html is revalidated', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const index = await fetch(`${base}/`);
    expect(await index.text()).toContain('id="root"');
    expect(index.headers.get('cache-control')).toBe('no-cache');
  });

  test('client-side routes get index.html, unknown API paths and missing assets do not', async () => {
    const route = await fetch(`${base}/users/12/show`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('id="root"');
    const api = await fetch(`${base}/api/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ message: 'No such API route.' });
    expect((await fetch(`${base}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${base}/users`, { method: 'POST' })).status).toBe(404);
  });

  test('while a first start builds the console, its pages say so and reload; the API is not held back', async () => {
    building = true;
    try {
      const page = await fetch(`${base}/users/12/show`);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('3');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('being built');
      expect(html).toContain('http-equiv="refresh"');
      expect((await fetch(`${base}/api/nope`)).status).toBe(404);
    } finally {
      building = false;
    }
    expect((await fetch(`${base}/users/12/show`)).status).toBe(200);
  });
});

describe('the console build', () => {
  test('the login page loads under 300 KiB of gzipped JavaScript', async () => {
    const { distDir } = await ensureConsoleBuilt({ print: () => {} });
    const size = measureInitialJs(distDir);
    console.info(`initial JS for the login page: gzip ${(size.gzip / 1024).toFixed(1)} KiB in ${size.files.length} file(s)`);
    // The dashboard (recharts) and the resource views must stay in lazy chunks.
    expect(size.files.some((f) => /Dashboard|List|Show|Views/.test(f.file))).toBe(false);
    expect(size.gzip).toBeLessThan(300 * 1024);
  });
});
