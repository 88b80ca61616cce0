import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BareRoute } from './bareServer';
import type { ContenderBoot, ContenderRequest } from './contenders';
import { PEER_NODE } from './platformaticPeer';
import type { CapturedQuery, ReplayPlan } from './sqlCapture';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'contenders.ts');

export interface Contenders {
  /** opsroom's base URL. */
  url: string;
  /** `node -v` of the process serving opsroom and the bare handler. */
  node: string;
  /** Every statement opsroom sent while `fn` ran. */
  capture<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }>;
  startBare(routes: BareRoute[], sessionCheck: ReplayPlan): Promise<{ url: string }>;
  close(): Promise<void>;
}

/**
 * The Node binary the contenders run on: the peer's Node 24 when `npm run bench:peer` installed
 * it, so all three run on one runtime; this process's own otherwise.
 */
export const contenderNode = () => (existsSync(PEER_NODE) ? PEER_NODE : process.execPath);

/** Starts opsroom (and later the bare handler) in a child process on `node`, configured from `env` as `npm start` would be. */
export async function startContenders(env: Record<string, string>, node = contenderNode()): Promise<Contenders> {
  // tsx from the repository's node_modules compiles the TypeScript, whichever Node runs it.
  const child: ChildProcess = spawn(node, ['--import', 'tsx', ENTRY], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  const pending = new Map<number, { resolve: (m: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited: Error | undefined;
  const ready = new Promise<{ url: string; node: string }>((resolve, reject) => {
    child.on('message', (raw) => {
      const m = raw as Record<string, unknown>;
      if (m.kind === 'ready') return resolve(m as { url: string; node: string });
      const waiter = pending.get(m.id as number);
      pending.delete(m.id as number);
      if (m.ok) waiter?.resolve(m);
      else waiter?.reject(new Error(`bench contenders: ${String(m.error)}`));
    });
    child.once('exit', (code) => {
      exited = new Error(`bench contenders exited ${code}`);
      reject(exited);
      for (const w of pending.values()) w.reject(exited);
      pending.clear();
    });
    child.once('error', reject);
  });
  child.send({ env } satisfies ContenderBoot);
  const { url, node: version } = await ready;
  const ask = (request: Omit<ContenderRequest, 'id'>): Promise<Record<string, unknown>> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
  };
  return {
    url,
    node: version,
    async capture(fn) {
      await ask({ kind: 'captureStart' });
      try {
        const result = await fn();
        return { result, queries: (await ask({ kind: 'captureEnd' })).queries as CapturedQuery[] };
      } catch (err) {
        await ask({ kind: 'captureEnd' }).catch(() => {});
        throw err;
      }
    },
    startBare: async (routes, sessionCheck) => ({ url: (await ask({ kind: 'startBare', routes, sessionCheck } as Omit<ContenderRequest, 'id'>)).url as string }),
    async close() {
      if (exited || child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      await ask({ kind: 'close' }).catch(() => {});
      await gone;
    },
  };
}
