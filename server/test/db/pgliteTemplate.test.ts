import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/env';
import { decryptSecret, parseKeyRing } from '../../src/crypto/secretBox';
import { aiProviderKeys } from '../../src/db/schema';
import { copyTemplateInto, ensureTemplate } from '../../src/db/pgliteTemplate';
import { DEFAULT_LIMITS } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/server';
import { tempDir } from '../support/cli';
import { Session } from '../support/operators';

// The install-time template of the embedded database (npm install → scripts/prepare-start.ts), and
// the first `npm start` on an empty PGLITE_DIR that copies it instead of running initdb and the seed.
const dir = tempDir('opsroom-template-');
const template = path.join(dir, 'template');
const installKey = randomBytes(32).toString('base64');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  expect(await ensureTemplate(parseKeyRing(installKey), () => {}, template)).toBe(true);
}, 300_000);

function config(dataDir: string, encryptionKey: string): Config {
  return {
    environment: 'test',
    production: false,
    port: 0,
    host: '127.0.0.1',
    database: { driver: 'pglite', dir: dataDir },
    encryptionKey,
    sessionSecret: 'test-session-secret',
    exactCountLimit: 10_000,
    trustProxy: ['loopback'],
    allowInsecureHttp: false,
    migrations: { onStart: true, lockTimeoutMs: DEFAULT_LIMITS.lockTimeoutMs, statementTimeoutMs: DEFAULT_LIMITS.statementTimeoutMs },
  };
}

/** `npm start`'s boot on an empty folder; signs in with the demo login it prints and reads the demo provider keys. */
async function firstStart(encryptionKey: string) {
  const lines: string[] = [];
  const server = await startServer({
    config: config(path.join(dir, `data-${randomBytes(4).toString('hex')}`), encryptionKey),
    demo: true,
    template,
    print: (line) => lines.push(line),
    logger: createLogger({ level: 'silent' }),
  });
  try {
    const login = /demo login \(shown once\): (\S+) \/ (\S+)/.exec(lines.join('\n'));
    expect(login, lines.join('\n')).not.toBeNull();
    const session = new Session(server.url);
    expect((await session.login(login![1]!, login![2]!)).status).toBe(200);
    const users = await session.dataProvider().getList('users', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const keys = await session.dataProvider().getList('ai_provider_keys', { pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    // Every sealed key must open with the key this start runs with (the API never returns them).
    const ring = parseKeyRing(encryptionKey);
    const sealed = await server.ctx.database.db.select({ encryptedKey: aiProviderKeys.encryptedKey }).from(aiProviderKeys);
    const unreadable = sealed.filter((k) => {
      try {
        decryptSecret(ring, k.encryptedKey);
        return false;
      } catch {
        return true;
      }
    }).length;
    return { lines, total: users.total, keys: keys.total, unreadable };
  } finally {
    await server.close();
  }
}

describe('the embedded database template', () => {
  it('is rebuilt only when stale', async () => {
    expect(await ensureTemplate(parseKeyRing(installKey), () => {}, template)).toBe(false);
  });

  it('a first start on an empty folder copies it: the demo data, a demo login of its own, provider keys that open', async () => {
    const { lines, total, keys, unreadable } = await firstStart(installKey);
    expect(lines.some((l) => l.startsWith('seed: demo data copied from the template'))).toBe(true);
    expect(lines.some((l) => /^seed: demo data \(\d+ users/.test(l))).toBe(false);
    expect(total).toBe(301);
    expect(keys).toBeGreaterThan(0);
    expect(unreadable).toBe(0);
  }, 300_000);

  it('a start under another encryption key does not use it, and seeds with its own key', async () => {
    const { lines, total, keys, unreadable } = await firstStart(randomBytes(32).toString('base64'));
    expect(lines.some((l) => l.startsWith('seed: demo data copied from the template'))).toBe(false);
    expect(lines.some((l) => /^seed: demo data \(300 users/.test(l))).toBe(true);
    expect(total).toBe(301);
    expect(keys).toBeGreaterThan(0);
    expect(unreadable).toBe(0);
  }, 300_000);

  it('never touches a folder that already holds something', () => {
    const used = path.join(dir, 'used');
    mkdirSync(used);
    writeFileSync(path.join(used, 'notes.txt'), 'mine');
    expect(copyTemplateInto(used, parseKeyRing(installKey), template)).toBe(false);
    expect(readFileSync(path.join(used, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
