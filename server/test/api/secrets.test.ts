import { expect, it } from 'vitest';
import { decryptSecret } from '../../src/crypto/secretBox';
import { aiProviderKeys } from '../../src/db/schema';
import { eq } from 'drizzle-orm';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

describeEachEngine('secrets', (server) => {
  it('a provider key is encrypted at rest and only its last four ever come back', async () => {
    const { session } = await signIn(server());
    const plaintext = 'sk-test-ZZtopSecretValue1234567890abcd';
    const created = await session.json('/api/ai_provider_keys', { method: 'POST', body: JSON.stringify({ provider: 'mistral', key: plaintext, label: 'Mistral' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ provider: 'mistral', last_four: 'abcd', key_version: 1 });
    expect(created.body).not.toHaveProperty('encrypted_key');
    const [row] = await server().ctx.database.db.select().from(aiProviderKeys).where(eq(aiProviderKeys.id, created.body.id));
    expect(row!.encryptedKey).not.toContain(plaintext);
    expect(decryptSecret(server().ctx.keyRing, row!.encryptedKey)).toBe(plaintext);

    const responses = [
      JSON.stringify(created.body),
      JSON.stringify((await session.json('/api/ai_provider_keys')).body),
      JSON.stringify((await session.json(`/api/ai_provider_keys/${created.body.id}`)).body),
      JSON.stringify((await session.json('/api/audit_log?filter=' + encodeURIComponent(JSON.stringify({ resource: 'ai_provider_keys' })))).body),
    ];
    for (const body of responses) {
      expect(body).not.toContain(plaintext);
      expect(body).not.toContain(row!.encryptedKey);
    }
  });

  it('an API key is shown once on creation and stored only as a hash', async () => {
    const { session, creds } = await signIn(server());
    const created = await session.json('/api/api_keys', { method: 'POST', body: JSON.stringify({ name: 'CI', user_id: creds.id }) });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    expect(key).toMatch(/^ok_live_/);
    expect(created.body.prefix).toBe(key.slice(0, 12));
    const again = await session.json(`/api/api_keys/${created.body.id}`);
    expect(again.body).not.toHaveProperty('key');
    expect(again.body).not.toHaveProperty('key_hash');
    const audit = await session.json('/api/audit_log?filter=' + encodeURIComponent(JSON.stringify({ resource: 'api_keys', record_id: String(created.body.id) })));
    expect(JSON.stringify(audit.body)).not.toContain(key);
  });

  it('password hashes never appear in user responses', async () => {
    const { session } = await signIn(server());
    const list = await session.json('/api/users?range=[0,999]');
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt\$/);
    expect(list.body.every((u: object) => !('password_hash' in u))).toBe(true);
  });
});
