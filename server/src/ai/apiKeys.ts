import type { Actor } from '../http/request';
import { modelOf, transitionRecords, type ActionContext, type Row } from '../usecases/support';

/** active → revoked: the key stops working and cannot be revived. */
export async function revokeApiKey(deps: ActionContext, actor: Actor, input: { keyId: number }): Promise<Row> {
  const apiKeys = modelOf(deps, 'api_keys');
  return deps.database.db.transaction(async (tx) => {
    const [after] = await transitionRecords(tx, actor, apiKeys, [input.keyId], {
      action: 'revoke',
      from: 'active',
      set: { status: 'revoked', revokedAt: new Date() },
      refusal: 'Only active API keys can be revoked',
    });
    return after!;
  });
}
