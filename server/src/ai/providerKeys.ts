import { ne } from 'drizzle-orm';
import { decryptSecret, encryptSecret } from '../crypto/secretBox';
import { aiProviderKeys } from '../db/schema';
import { conflict } from '../http/errors';
import { providerKeyInput } from './resources';
import { actorOf } from '../http/request';
import { audit, inTransaction, lockRecord, modelOf, parseRecordId, updateRecord, validate, type ActionContext, type Row } from '../usecases/support';

// Responses and audit rows go through the resource model's selection, which leaves out
// encrypted_key; the plaintext exists only in the request body and the cipher call.

/** POST /api/ai_provider_keys/:id/rotate {key}: replaces the key material, encrypted with the current master key. */
export function rotateProviderKey(ctx: ActionContext) {
  const keys = modelOf(ctx, 'ai_provider_keys');
  return inTransaction(ctx, async (tx, req) => {
    const id = parseRecordId(req.params.id);
    const { key } = validate(providerKeyInput, req);
    const before = await lockRecord(tx, keys, id);
    const { ciphertext, keyVersion } = encryptSecret(ctx.keyRing, key);
    const after = await updateRecord(tx, keys, id, { encryptedKey: ciphertext, keyVersion, lastFour: key.slice(-4), rotatedAt: new Date() });
    await audit(tx, actorOf(req), keys, 'rotate', before, after);
    return after;
  });
}

/** POST /api/ai_provider_keys/:id/enable and /disable; 409 when it already is. */
export function setProviderKeyEnabled(ctx: ActionContext, enabled: boolean) {
  const keys = modelOf(ctx, 'ai_provider_keys');
  return inTransaction(ctx, async (tx, req) => {
    const id = parseRecordId(req.params.id);
    const before = await lockRecord(tx, keys, id);
    if (before.enabled === enabled) throw conflict(`The ${before.provider} key is already ${enabled ? 'enabled' : 'disabled'}.`);
    const after = await updateRecord(tx, keys, id, { enabled });
    await audit(tx, actorOf(req), keys, enabled ? 'enable' : 'disable', before, after);
    return after;
  });
}

/**
 * POST /api/ai_provider_keys/reencrypt: after the master key rotates (a new first entry in
 * OPSROOM_ENCRYPTION_KEY, the old one kept after it), re-encrypts every provider key still under an
 * older master key, so the old one can then be removed. All or nothing; answers `{ reencrypted: n }`.
 */
export function reencryptProviderKeys(ctx: ActionContext) {
  const keys = modelOf(ctx, 'ai_provider_keys');
  return inTransaction(ctx, async (tx, req) => {
    const stale = (await tx
      .select({ ...keys.selection, envelope: aiProviderKeys.encryptedKey })
      .from(aiProviderKeys)
      .where(ne(aiProviderKeys.keyVersion, ctx.keyRing.current))
      .orderBy(aiProviderKeys.id)
      .for('update')) as Row[];
    for (const { envelope, ...before } of stale) {
      // The envelope, not the column, says which master key sealed it.
      const sealedWith = Number(/^v(\d+):/.exec(envelope as string)?.[1]);
      if (!ctx.keyRing.keys.has(sealedWith)) {
        throw conflict(
          `The ${before.provider} key is encrypted with master key version ${sealedWith}, which OPSROOM_ENCRYPTION_KEY no longer holds; add it back (as ${sealedWith}:<key>) to re-encrypt. Nothing was changed.`,
        );
      }
      const { ciphertext, keyVersion } = encryptSecret(ctx.keyRing, decryptSecret(ctx.keyRing, envelope as string));
      const after = await updateRecord(tx, keys, before.id as number, { encryptedKey: ciphertext, keyVersion });
      await audit(tx, actorOf(req), keys, 'reencrypt', before, after);
    }
    return { reencrypted: stale.length };
  });
}
