import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { encryptSecret, sha256 } from '../crypto/secretBox';
import { aiProviderKeys, apiKeys, generations } from '../db/schema';
import { nonEmpty } from '../resources/refinements';
import { defineResource } from '../resources/types';

export const generationsResource = defineResource(generations, {
  name: 'generations',
  search: ['gen_id', 'prompt', 'model', 'provider_job_id'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});

/** The plaintext key is write-only: encrypted on the way in, only its last four ever come back. */
export const providerKeyInput = z.object({ key: z.string().trim().min(8, 'Paste the whole key').max(4096) });

export const aiProviderKeysResource = defineResource(aiProviderKeys, {
  name: 'ai_provider_keys',
  search: ['provider', 'label'],
  hidden: ['encrypted_key'],
  creatable: ['provider', 'label', 'model_config', 'enabled'],
  updatable: ['label', 'model_config'],
  refine: { provider: nonEmpty },
  onCreate: {
    input: providerKeyInput,
    toValues: (input, ctx) => {
      const key = input.key as string;
      const { ciphertext, keyVersion } = encryptSecret(ctx.keyRing, key);
      return { values: { encryptedKey: ciphertext, keyVersion, lastFour: key.slice(-4), rotatedAt: new Date() } };
    },
  },
});

export const API_KEY_PREFIX = 'ok_live_';

export const apiKeysResource = defineResource(apiKeys, {
  name: 'api_keys',
  search: ['name', 'prefix'],
  hidden: ['key_hash'],
  creatable: ['name', 'user_id'],
  updatable: ['name'],
  refine: { name: nonEmpty },
  defaultSort: ['created_at', 'DESC'],
  onCreate: {
    input: z.object({}),
    // The key exists in plaintext only in this one response; the database keeps its hash.
    toValues: () => {
      const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
      return { values: { keyHash: sha256(key), prefix: key.slice(0, API_KEY_PREFIX.length + 4) }, extra: { key } };
    },
  },
});
