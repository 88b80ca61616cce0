import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { decryptSecret } from '../../src/crypto/secretBox';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

describeEachEngine('provider key and API key actions', (server) => {
  const stored = async (id: number) =>
    (await rows<{ encrypted_key: string; key_version: number; last_four: string; enabled: boolean }>(server(), sql`select encrypted_key, key_version, last_four, enabled from ai_provider_keys where id = ${id}`))[0]!;
  const providerKeyId = async (provider: string) => (await rows<{ id: number }>(server(), sql`select id from ai_provider_keys where provider = ${provider}`))[0]!.id;

  it('rotating a provider key stores the new key encrypted and never shows it', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const id = await providerKeyId('openai');
    const before = await stored(id);
    const plaintext = `sk-rotated-${randomBytes(16).toString('hex')}`;
    const res = await act(session, `/api/ai_provider_keys/${id}/rotate`, { key: plaintext });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, provider: 'openai', last_four: plaintext.slice(-4), key_version: server().ctx.keyRing.current });
    expect(new Date(res.body.rotated_at).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const after = await stored(id);
    expect(after.encrypted_key).not.toBe(before.encrypted_key);
    expect(after.encrypted_key).not.toContain(plaintext);
    expect(decryptSecret(server().ctx.keyRing, after.encrypted_key)).toBe(plaintext);

    const [entry] = await auditOf(session, 'ai_provider_keys', id);
    expect(entry).toMatchObject({ action: 'rotate', actor_id: creds.id, after: { last_four: plaintext.slice(-4) } });
    const shown = JSON.stringify([res.body, entry, (await session.json(`/api/ai_provider_keys/${id}`)).body, (await session.json('/api/ai_provider_keys')).body]);
    for (const secret of [plaintext, after.encrypted_key, before.encrypted_key]) expect(shown).not.toContain(secret);
    expect(shown).not.toContain('encrypted_key');
  });

  it('a rotation needs the whole key', async () => {
    const { session } = await signIn(server(), 'admin');
    const id = await providerKeyId('anthropic');
    const before = await stored(id);
    for (const body of [{}, { key: 'short' }, { key: 12345678 }]) {
      const res = await act(session, `/api/ai_provider_keys/${id}/rotate`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty('key');
    }
    expect(await stored(id)).toEqual(before);
    expect((await act(session, '/api/ai_provider_keys/99999/rotate', { key: 'sk-long-enough' })).status).toBe(404);
  });

  it('a provider key is disabled and enabled again, and neither twice', async () => {
    const { session } = await signIn(server(), 'admin');
    const id = await providerKeyId('replicate');
    const off = await act(session, `/api/ai_provider_keys/${id}/disable`);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, enabled: false });
    expect(off.body).not.toHaveProperty('encrypted_key');
    expect((await act(session, `/api/ai_provider_keys/${id}/disable`)).status).toBe(409);
    const on = await act(session, `/api/ai_provider_keys/${id}/enable`);
    expect(on.body).toMatchObject({ id, enabled: true });
    expect((await act(session, `/api/ai_provider_keys/${id}/enable`)).status).toBe(409);
    const [enable, disable] = await auditOf(session, 'ai_provider_keys', id);
    expect(disable).toMatchObject({ action: 'disable', before: { enabled: true }, after: { enabled: false } });
    expect(enable).toMatchObject({ action: 'enable', before: { enabled: false }, after: { enabled: true } });
  });

  it('support operators may not rotate, enable or disable provider keys', async () => {
    const { session } = await signIn(server(), 'support');
    const id = await providerKeyId('fal');
    const before = await stored(id);
    expect((await act(session, `/api/ai_provider_keys/${id}/rotate`, { key: 'sk-support-was-here' })).status).toBe(403);
    expect((await act(session, `/api/ai_provider_keys/${id}/enable`)).status).toBe(403);
    expect((await act(session, '/api/ai_provider_keys/reencrypt')).status).toBe(403);
    expect(await stored(id)).toEqual(before);
  });

  it('revoking an API key stamps it revoked, once', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const [key] = await rows<{ id: number; key_hash: string }>(server(), sql`select id, key_hash from api_keys where status = 'active' limit 1`);
    const res = await act(session, `/api/api_keys/${key!.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: key!.id, status: 'revoked' });
    expect(res.body.revoked_at).not.toBeNull();
    expect(res.body).not.toHaveProperty('key_hash');
    const again = await act(session, `/api/api_keys/${key!.id}/revoke`);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Only active API keys can be revoked (this one is revoked).');
    const [entry] = await auditOf(session, 'api_keys', key!.id);
    expect(entry).toMatchObject({ action: 'revoke', actor_id: creds.id, before: { status: 'active' }, after: { status: 'revoked' } });
    expect(JSON.stringify(entry)).not.toContain(key!.key_hash);
    expect((await act(session, '/api/api_keys/99999999/revoke')).status).toBe(404);

    const support = await signIn(server(), 'support');
    const [other] = await rows<{ id: number }>(server(), sql`select id from api_keys where status = 'active' limit 1`);
    expect((await act(support.session, `/api/api_keys/${other!.id}/revoke`)).status).toBe(403);
  });

  // Last in the file: it rotates this server's master key.
  it('after a master key rotation, re-encryption moves every provider key to the new master key', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const ring = server().ctx.keyRing;
    const oldVersion = ring.current;
    const before = await rows<{ id: number; encrypted_key: string }>(server(), sql`select id, encrypted_key from ai_provider_keys order by id`);
    const plaintexts = before.map((r) => decryptSecret(ring, r.encrypted_key));

    // What a restart with OPSROOM_ENCRYPTION_KEY="<new version>:<new>,<old version>:<old>" gives the server.
    const newVersion = oldVersion + 1;
    const oldKey = ring.keys.get(oldVersion)!;
    ring.keys.set(newVersion, randomBytes(32));
    ring.current = newVersion;

    // Without the old master key nothing can be re-encrypted, and nothing is half-done.
    ring.keys.delete(oldVersion);
    const stuck = await act(session, '/api/ai_provider_keys/reencrypt');
    expect(stuck.status).toBe(409);
    expect(stuck.body.message).toMatch(new RegExp(`master key version ${oldVersion}`));
    ring.keys.set(oldVersion, oldKey);
    expect((await rows(server(), sql`select id, encrypted_key from ai_provider_keys order by id`))).toEqual(before);

    const res = await act(session, '/api/ai_provider_keys/reencrypt');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reencrypted: before.length });
    const after = await rows<{ id: number; encrypted_key: string; key_version: number }>(server(), sql`select id, encrypted_key, key_version from ai_provider_keys order by id`);
    after.forEach((row, i) => {
      expect(row.key_version).toBe(newVersion);
      expect(row.encrypted_key.startsWith(`v${newVersion}:`)).toBe(true);
      expect(row.encrypted_key).not.toBe(before[i]!.encrypted_key);
      expect(decryptSecret({ current: newVersion, keys: new Map([[newVersion, ring.keys.get(newVersion)!]]) }, row.encrypted_key)).toBe(plaintexts[i]);
    });
    const [entry] = await auditOf(session, 'ai_provider_keys', after[0]!.id);
    expect(entry).toMatchObject({ action: 'reencrypt', actor_id: creds.id, before: { key_version: oldVersion }, after: { key_version: newVersion } });
    for (const p of plaintexts) expect(JSON.stringify([res.body, entry])).not.toContain(p);

    expect((await act(session, '/api/ai_provider_keys/reencrypt')).body).toEqual({ reencrypted: 0 });
  });
}, { demo: true });
