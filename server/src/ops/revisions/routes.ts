import { Router } from 'express';
import { ACTION_ROLES } from '../../../../contract';
import { z } from 'zod';
import { requireRole } from '../../auth/middleware';
import type { AppContext } from '../../context';
import { parseRecordId } from '../../http/ids';
import { validate } from '../../http/parseBody';
import { actorOf, operatorOf } from '../../http/request';
import type { ResourceModel } from '../../resources/model';
import { revertChange } from './revertChange';

/**
 * POST /api/audit_log/:id/revert: support may call it, and is then held to the edited resource's
 * own write role (most resources are admin-only to write).
 */
export function revisionsRouter(ctx: AppContext, models: Map<string, ResourceModel>) {
  const router = Router();
  router.post('/audit_log/:id/revert', requireRole(ACTION_ROLES.audit_log.revert), async (req, res) => {
    // Audit ids are bigints.
    const auditId = parseRecordId(req.params.id, Number.MAX_SAFE_INTEGER);
    // No input: anything in the body is a client bug, not something to ignore.
    validate(z.strictObject({}), req);
    res.json(await revertChange({ db: ctx.database.db, models }, { ...actorOf(req), role: operatorOf(req).role }, { auditId }));
  });
  return router;
}
