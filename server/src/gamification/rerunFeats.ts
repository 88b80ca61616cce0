import type { RequestHandler } from 'express';
import { awardFeats } from './feats';
import { actorOf } from '../http/request';
import { parseRecordId, type ActionContext } from '../usecases/support';

/** POST /api/users/:id/feats: re-checks the user's feats and awards what they have earned. */
export function rerunFeats(ctx: ActionContext): RequestHandler {
  return async (req, res) => {
    const userId = parseRecordId(req.params.id);
    const result = await awardFeats({ db: ctx.database.db }, actorOf(req), { userId });
    res.json({ id: userId, awarded: result.awarded, progress: result.progress });
  };
}
