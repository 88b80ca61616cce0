import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';

/** json-server 0.17 has no types; this is the part of its API the peer row uses. */
interface JsonServerLib {
  create(): { use(...h: unknown[]): void; listen(port: number, host: string, cb: () => void): Server };
  router(source: string): unknown;
  defaults(opts: { logger: boolean }): unknown[];
}

export interface JsonServerPeer {
  url: string;
  users: number;
  sampleId: number;
  close(): Promise<void>;
}

/**
 * The usual ra-data-simple-rest demo backend on the same users: the first `limit` of them exported
 * to a temp db.json exactly as opsroom's API returns them, served on 127.0.0.1 in this process (as
 * opsroom is), without its request logger.
 */
export async function startJsonServerPeer(client: pg.Pool, limit: number): Promise<JsonServerPeer> {
  const { rows } = await client.query(
    `SELECT id, uuid, email, name, nickname, avatar_url, role, banned, ban_reason, ban_expires, invite_code, invited_by,
            is_affiliate, locale, signin_provider, signin_ip, created_at, updated_at
     FROM users WHERE role = 'member' ORDER BY id LIMIT $1`,
    [limit],
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'opsroom-bench-json-server-'));
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify({ users: rows }));
  const jsonServer = createRequire(import.meta.url)('json-server') as JsonServerLib;
  const app = jsonServer.create();
  app.use(jsonServer.defaults({ logger: false }));
  app.use(jsonServer.router(file));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    users: rows.length,
    sampleId: rows[Math.floor(rows.length / 2)]?.id ?? 1,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const jsonServerListPath = '/users?_sort=created_at&_order=desc&_start=0&_end=25';
