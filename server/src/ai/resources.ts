import { z } from 'zod';
import { issueApiKey } from './apiKeys';
import { providerKeyInput, sealProviderKey } from './providerKeys';
import { aiProviderKeys, apiKeys, generations } from '../db/schema';
import { nonEmpty } from '../resources/refinements';
import { defineResource } from '../resources/types';

export const generationsResource = defineResource(generations, {
  name: 'generations',
  search: ['gen_id', 'prompt', 'model', 'provider_job_id'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});

export const aiProviderKeysResource = defineResource(aiProviderKeys, {
  name: 'ai_provider_keys',
  search: ['provider', 'label'],
  hidden: ['encrypted_key'],
  creatable: ['provider', 'label', 'model_config', 'enabled'],
  updatable: ['label', 'model_config'],
  refine: { provider: nonEmpty },
  onCreate: {
    input: providerKeyInput,
    toValues: (input, ctx) => ({ values: sealProviderKey(ctx.keyRing, input.key as string) }),
  },
});

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
    toValues: issueApiKey,
  },
});
