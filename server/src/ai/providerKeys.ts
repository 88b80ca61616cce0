import { ne } from 'drizzle-orm';
import { z } from 'zod';
import { decryptSecret, encryptSecret, type KeyRing } from '../crypto/secretBox';
import { aiProviderKeys } from '../db/schema';
import type { UseCaseActor } from '../usecases';
import { ConflictError } from '../usecases/domainErrors';
import { audit, lockRecord, modelOf, updateRecord, type ActionContext, type ModelDeps, type Row } from '../usecases/records';

// Everything that writes a provider key lives here: creation (through the generic resource's
// onCreate), rotation, enabling and re-encryption. Responses and audit rows go through the resource
// model's selection, which leaves out encrypted_key; the plaintext exists only in the input and the
// cipher call.

/** The plaintext key is write-only: encrypted on the way in, only its last four ever come back. */
export const providerKeyInput = z.object({ key: z.string().trim().min(8, 'Paste the whole key').max(4096) });

/** The columns that hold a key: sealed with the current master key, its last four in clear. */
export function sealProviderKey(keyRing: KeyRing, key: string) {
  const { ciphertext, keyVersion } = encryptSecret(keyRing, key);
  return { encryptedKey: ciphertext, keyVersion, lastFour: key.slice(-4), rotatedAt: new Date() };
}

/** Replaces a key's material (POST /api/ai_provider_keys/:id/rotate {key}). */
export function rotateProviderKey(deps: ModelDeps & { keyRing: KeyRing }, actor: UseCaseActor, input: { keyId: number; key: string }): Promise<Row> {
  const keys = modelOf(deps, 'ai_provider_keys');
  return deps.db.transaction(async (tx) => {
    const before = await lockRecord(tx, keys, input.keyId);
    const after = await updateRecord(tx, keys, input.keyId, sealProviderKey(deps.keyRing, input.key));
    await audit(tx, actor, keys, 'rotate', before, after);
    return after;
  });
}

/** Enables or disables a key; ConflictError when it already is. */
export function setProviderKeyEnabled(deps: ActionContext, actor: UseCaseActor, input: { keyId: number; enabled: boolean }): Promise<Row> {
  const keys = modelOf(deps, 'ai_provider_keys');
  const { keyId, enabled } = input;
  return deps.db.transaction(async (tx) => {
    const before = await lockRecord(tx, keys, keyId);
    if (before.enabled === enabled) throw new ConflictError(`The ${before.provider} key is already ${enabled ? 'enabled' : 'disabled'}.`);
    const after = await updateRecord(tx, keys, keyId, { enabled });
    await audit(tx, actor, keys, enabled ? 'enable' : 'disable', before, after);
    return after;
  });
}

/**
 * After the master key rotates (a new first entry in OPSROOM_ENCRYPTION_KEY, the old one kept after
 * it), re-encrypts every provider key still under an older master key, so the old one can then be
 * removed. All or nothing.
 */
export function reencryptProviderKeys(deps: ActionContext, actor: UseCaseActor): Promise<{ reencrypted: number }> {
  const keys = modelOf(deps, 'ai_provider_keys');
  const { keyRing } = deps;
  return deps.db.transaction(async (tx) => {
    const stale = (await tx
      .select({ ...keys.selection, envelope: aiProviderKeys.encryptedKey })
      .from(aiProviderKeys)
      .where(ne(aiProviderKeys.keyVersion, keyRing.current))
      .orderBy(aiProviderKeys.id)
      .for('update')) as (Row & { id: number; provider: string; envelope: string })[];
    for (const { envelope, ...before } of stale) {
      // The envelope, not the column, says which master key sealed it.
      const sealedWith = Number(/^v(\d+):/.exec(envelope)?.[1]);
      if (!keyRing.keys.has(sealedWith)) {
        throw new ConflictError(
          `The ${before.provider} key is encrypted with master key version ${sealedWith}, which OPSROOM_ENCRYPTION_KEY no longer holds; add it back (as ${sealedWith}:<key>) to re-encrypt. Nothing was changed.`,
        );
      }
      const { ciphertext, keyVersion } = encryptSecret(keyRing, decryptSecret(keyRing, envelope));
      const after = await updateRecord(tx, keys, before.id, { encryptedKey: ciphertext, keyVersion });
      await audit(tx, actor, keys, 'reencrypt', before, after);
    }
    return { reencrypted: stale.length };
  });
}
