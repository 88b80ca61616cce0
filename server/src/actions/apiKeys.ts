import { inTransaction, modelOf, parseRecordId, transitionRecords, type ActionContext } from './support';

/** POST /api/api_keys/:id/revoke: active → revoked; the key stops working and cannot be revived. */
export function revokeApiKey(ctx: ActionContext) {
  const apiKeys = modelOf(ctx, 'api_keys');
  return inTransaction(ctx, async (tx, req) => {
    const id = parseRecordId(req.params.id);
    const [after] = await transitionRecords(tx, req, apiKeys, [id], {
      action: 'revoke',
      from: 'active',
      set: { status: 'revoked', revokedAt: new Date() },
      refusal: 'Only active API keys can be revoked',
    });
    return after;
  });
}
