import { type Response, Router } from 'express';
import { ACTION_ROLES, type PendingApproval } from '../../../contract';
import { requireRole } from '../auth/middleware';
import { actorOf } from './request';
import { parseRecordId } from './ids';
import { validate } from './parseBody';
import type { ActionContext } from '../usecases/records';
import type { Held } from '../approvals/holdForApproval';
import { decideApproval, decisionInput, type Decision } from '../approvals/decideApproval';

/** The 202 of an action held for a second admin: the stored request, and a sentence to show. */
export function sendPending(res: Response, { request, replayed }: Held) {
  const body: PendingApproval = {
    approval_request: request as unknown as PendingApproval['approval_request'],
    message:
      request.status === 'pending'
        ? 'Sent for approval: another admin must approve this before it runs.'
        : `Already sent for approval, and ${request.status} since; nothing new was asked.`,
  };
  if (replayed) res.set('Idempotent-Replayed', 'true');
  res.status(202).json(body);
}

/** POST /api/approval_requests/:id/approve|reject {note?}: admins only (the list is the generic resource). */
export function approvalsRouter(ctx: ActionContext) {
  const router = Router();
  for (const decision of ['approve', 'reject'] as const satisfies Decision[]) {
    router.post(`/approval_requests/:id/${decision}`, requireRole(ACTION_ROLES.approval_requests[decision]), async (req, res) => {
      const id = parseRecordId(req.params.id);
      res.json(await decideApproval(ctx, actorOf(req), { id, decision, ...validate(decisionInput, req) }));
    });
  }
  return router;
}
