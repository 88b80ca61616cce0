/**
 * The bench's own contenders in a child process: the real opsroom server and, once asked, the bare
 * Express + pg handler (bareServer.ts). Run by `contendersClient.ts` with the peer's Node 24 binary
 * when `npm run bench:peer` installed it, so opsroom, the ceiling and Platformatic DB run on the
 * same runtime; with this process's Node otherwise. It speaks to the bench over IPC only.
 */
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { readConfig } from '../../server/src/config/env';
import { createLogger } from '../../server/src/logger';
import { startServer, type RunningServer } from '../../server/src/server';
import { startBareServer, type BareRoute, type BareServer } from './bareServer';
import { beginCapture, endCapture, installSqlCapture, type ReplayPlan } from './sqlCapture';

/** What the bench asks; each answer carries the request's `id`. */
export type ContenderRequest =
  | { id: number; kind: 'captureStart' }
  | { id: number; kind: 'captureEnd' }
  | { id: number; kind: 'startBare'; routes: BareRoute[]; sessionCheck: ReplayPlan }
  | { id: number; kind: 'close' };

/** The first message: the environment readConfig derives the server's settings from. */
export interface ContenderBoot {
  env: Record<string, string>;
}

const send = (message: unknown) => process.send!(message);

async function main() {
  const boot = await new Promise<ContenderBoot>((resolve) => process.once('message', (m) => resolve(m as ContenderBoot)));
  installSqlCapture();
  const config = readConfig(boot.env);
  let server: RunningServer | undefined;
  let bare: BareServer | undefined;
  let pool: pg.Pool | undefined;
  // Request logging off, as in the tests: its cost is the log sink's, and it would bury the output.
  server = await startServer({ config, logger: createLogger({ level: 'silent' }), devKeyFile: path.join(os.tmpdir(), 'opsroom-bench-unused.key') });
  send({ kind: 'ready', url: server.url, node: process.version });

  const close = async () => {
    await bare?.close();
    await pool?.end();
    await server?.close();
    server = undefined;
  };
  process.on('message', async (raw) => {
    const m = raw as ContenderRequest;
    try {
      switch (m.kind) {
        case 'captureStart':
          beginCapture();
          return send({ id: m.id, ok: true });
        case 'captureEnd':
          return send({ id: m.id, ok: true, queries: endCapture() });
        case 'startBare':
          // Its own pool, the size of the server's default (DB_POOL_MAX=10): no extra parallelism.
          pool = new pg.Pool({ connectionString: boot.env.DATABASE_URL, max: 10, application_name: 'opsroom-bench-bare' });
          bare = await startBareServer(pool, m.routes, m.sessionCheck);
          return send({ id: m.id, ok: true, url: bare.url });
        case 'close':
          await close();
          // Exit once the answer is out: process.exit would drop a message still queued.
          return void process.send!({ id: m.id, ok: true }, () => process.exit(0));
      }
    } catch (err) {
      send({ id: m.id, ok: false, error: (err as Error).message });
    }
  });
  // The bench went away without saying so: nothing is left listening.
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
}

main().catch((err) => {
  console.error(`bench contenders: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
