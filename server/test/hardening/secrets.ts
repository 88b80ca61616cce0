import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryRows } from '../../src/db/client';
import { reportFigures, type HardenedServer } from './support';

export interface Secret {
  what: string;
  value: string;
  /** The one response allowed to carry it (an API key is shown once, on create). */
  shownIn?: number;
}

/**
 * Every secret this server has held: password hashes, session tokens (the plaintexts the clients
 * were given and the hashes stored), API keys (plaintext from their one create response, and the
 * stored hash), provider keys (the plaintexts the test sent and the stored ciphertext).
 */
export async function knownSecrets(s: HardenedServer, providerKeyPlaintexts: string[]): Promise<Secret[]> {
  const { db } = s.ctx.database;
  const secrets: Secret[] = [];
  for (const r of await queryRows<{ h: string }>(db, sql`select password_hash as h from users where password_hash is not null`)) {
    secrets.push({ what: 'password hash', value: r.h }, { what: 'password hash (key part)', value: r.h.split('$').pop()! });
  }
  for (const r of await queryRows<{ t: string }>(db, sql`select token as t from operator_sessions`)) secrets.push({ what: 'stored session token hash', value: r.t });
  for (const token of s.traffic.sessionTokens) secrets.push({ what: 'session token', value: token });
  for (const r of await queryRows<{ h: string }>(db, sql`select key_hash as h from api_keys`)) secrets.push({ what: 'API key hash', value: r.h });
  for (const r of await queryRows<{ c: string }>(db, sql`select encrypted_key as c from ai_provider_keys`)) secrets.push({ what: 'provider key ciphertext', value: r.c });
  s.traffic.bodies.forEach((b, i) => {
    if (b.method !== 'POST' || !/^\/api\/api_keys(\?|$)/.test(b.path) || b.status !== 201) return;
    const key = (JSON.parse(b.body) as { key?: string }).key;
    if (key) secrets.push({ what: 'API key', value: key, shownIn: i });
  });
  for (const k of providerKeyPlaintexts) secrets.push({ what: 'provider key', value: k });
  return secrets.filter((x) => x.value && x.value.length >= 12);
}

/** No secret in any response body, log line or audit row (save an API key's own create response). */
export async function expectNoSecrets(s: HardenedServer, secrets: Secret[]) {
  const audit = await queryRows<{ row: string }>(s.ctx.database.db, sql`select a::text as row from audit_log a`);
  const found: string[] = [];
  for (const secret of secrets) {
    s.traffic.bodies.forEach((b, i) => {
      if (i !== secret.shownIn && b.body.includes(secret.value)) found.push(`${secret.what} in the response to ${b.method} ${b.path.slice(0, 80)}`);
    });
    for (const line of s.logs.lines) if (line.includes(secret.value)) found.push(`${secret.what} in log line ${line.slice(0, 160)}`);
    for (const a of audit) if (a.row.includes(secret.value)) found.push(`${secret.what} in audit row ${a.row.slice(0, 160)}`);
  }
  reportFigures('secrets scan', { secrets: secrets.length, responseBodies: s.traffic.bodies.length, logLines: s.logs.lines.length, auditRows: audit.length, found: found.length });
  expect(secrets.some((x) => x.what === 'session token')).toBe(true);
  expect(found.slice(0, 20)).toEqual([]);
}
