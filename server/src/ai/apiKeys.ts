import { randomBytes } from 'node:crypto';
import { sha256 } from '../crypto/secretBox';
import type { UseCaseActor } from '../usecases';
import { modelOf, transitionRecords, type ActionContext, type Row } from '../usecases/records';

// Everything that writes an API key lives here: issuing one (through the generic resource's
// onCreate) and revoking it.

export const API_KEY_PREFIX = 'ok_live_';

/** A new key: the plaintext exists only in the one response that shows it; the database keeps its hash. */
export function issueApiKey() {
  const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  return { values: { keyHash: sha256(key), prefix: key.slice(0, API_KEY_PREFIX.length + 4) }, extra: { key } };
}

/** active → revoked: the key stops working and cannot be revived. */
export async function revokeApiKey(deps: ActionContext, actor: UseCaseActor, input: { keyId: number }): Promise<Row> {
  const apiKeys = modelOf(deps, 'api_keys');
  return deps.db.transaction(async (tx) => {
    const [after] = await transitionRecords(tx, actor, apiKeys, [input.keyId], {
      action: 'revoke',
      from: 'active',
      set: { status: 'revoked', revokedAt: new Date() },
      refusal: 'Only active API keys can be revoked',
    });
    return after!;
  });
}
