import { type Request, Router } from 'express';
import { ACTION_ROLES, type OperatorRole } from '../../../contract';
import { revokeApiKey } from '../ai/apiKeys';
import { providerKeyInput, reencryptProviderKeys, rotateProviderKey, setProviderKeyEnabled } from '../ai/providerKeys';
import { requireRole } from '../auth/middleware';
import { banInput, banUser, unbanUser } from '../auth/banUser';
import { grantCredits, grantInput } from '../billing/grantCredits';
import { refundInput, refundOrder } from '../billing/refundOrder';
import type { AppContext } from '../context';
import { awardBadge, awardInput } from '../gamification/awardBadge';
import { awardFeats } from '../gamification/feats';
import { bulkInput, moveCommissions, type CommissionStep } from '../growth/affiliateCommission';
import { holdForApproval } from '../approvals/holdForApproval';
import { approvalsRouter, sendPending } from './approvals';
import { changeUserRole } from '../auth/roleChanges';
import { USER_ROLES } from '../../../contract';
import { z } from 'zod';
import { actionContext } from '../usecases/context';
import { parseRecordId } from './ids';
import { validate } from './parseBody';
import { badRequest } from './errors';
import { actorOf } from './request';

/** The client's Idempotency-Key header, checked for shape; the use case scopes it to the operator and user. */
function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).');
  return raw;
}

const roleInput = z.object({ role: z.enum(USER_ROLES, { error: `One of ${USER_ROLES.join(', ')}` }) });

/**
 * Domain actions (POST /api/{resource}/{id}/{action}), each a thin adapter: parse the path and body,
 * authorize by the shared permission matrix (which the console reads too), call the use case as
 * this operator, answer with its result. Each use case is one transaction with its audit row.
 */
export function actionsRouter(appCtx: AppContext) {
  const ctx = actionContext(appCtx);
  const may = <R extends keyof typeof ACTION_ROLES>(resource: R, action: keyof (typeof ACTION_ROLES)[R]) =>
    requireRole(ACTION_ROLES[resource][action] as OperatorRole);
  const router = Router();

  // A guarded action first asks the approval gate: held (202 with the stored request) or run now.
  // Its Idempotency-Key makes a retry of a held call answer with the first one's request.
  router.post('/users/:id/credits', may('users', 'grant_credits'), async (req, res) => {
    const userId = parseRecordId(req.params.id);
    const input = validate(grantInput, req);
    const idempotencyKey = idempotencyKeyOf(req);
    const held = await holdForApproval(ctx, actorOf(req), 'grant_credits', { userId, ...input }, idempotencyKey);
    if (held) return sendPending(res, held);
    const { replayed, adjustment } = await grantCredits(ctx, actorOf(req), { userId, ...input, idempotencyKey });
    if (replayed) res.set('Idempotent-Replayed', 'true');
    res.json(adjustment);
  });
  router.post('/users/:id/role', may('users', 'change_role'), async (req, res) => {
    const args = { userId: parseRecordId(req.params.id), ...validate(roleInput, req) };
    const held = await holdForApproval(ctx, actorOf(req), 'change_role', args, idempotencyKeyOf(req));
    if (held) return sendPending(res, held);
    res.json(await changeUserRole(ctx, actorOf(req), args));
  });
  router.post('/users/:id/ban', may('users', 'ban'), async (req, res) => {
    res.json(await banUser(ctx, actorOf(req), { userId: parseRecordId(req.params.id), ...validate(banInput, req) }));
  });
  router.post('/users/:id/unban', may('users', 'unban'), async (req, res) => {
    res.json(await unbanUser(ctx, actorOf(req), { userId: parseRecordId(req.params.id) }));
  });
  router.post('/users/:id/badges', may('users', 'award_badge'), async (req, res) => {
    const userId = parseRecordId(req.params.id);
    res.json(await awardBadge(ctx, actorOf(req), { userId, badgeId: validate(awardInput, req).badge_id }));
  });
  router.post('/users/:id/feats', may('users', 'award_badge'), async (req, res) => {
    const userId = parseRecordId(req.params.id);
    const { awarded, progress } = await awardFeats({ db: ctx.database.db }, actorOf(req), { userId });
    res.json({ id: userId, awarded, progress });
  });

  router.post('/orders/:id/refund', may('orders', 'refund'), async (req, res) => {
    const args = { orderId: parseRecordId(req.params.id), ...validate(refundInput, req) };
    const held = await holdForApproval(ctx, actorOf(req), 'refund', args, idempotencyKeyOf(req));
    if (held) return sendPending(res, held);
    res.json(await refundOrder(ctx, actorOf(req), args));
  });

  // Bulk (`{ids}`, answered `{ data: ids }` like updateMany) and one at a time (the updated record).
  const commissions = (step: CommissionStep) => {
    router.post(`/affiliates/${step}`, may('affiliates', step), async (req, res) => {
      const { ids } = validate(bulkInput, req);
      const held = step === 'pay' ? await holdForApproval(ctx, actorOf(req), 'pay_commissions', { ids }, idempotencyKeyOf(req)) : undefined;
      if (held) return sendPending(res, held);
      const afters = await moveCommissions(ctx, actorOf(req), { step, ids });
      res.json({ data: afters.map((a) => a.id) });
    });
  };
  commissions('approve');
  commissions('pay');
  for (const step of ['approve', 'pay'] as const) {
    router.post(`/affiliates/:id/${step}`, may('affiliates', step), async (req, res) => {
      const ids = [parseRecordId(req.params.id)];
      const held = step === 'pay' ? await holdForApproval(ctx, actorOf(req), 'pay_commissions', { ids }, idempotencyKeyOf(req)) : undefined;
      if (held) return sendPending(res, held);
      const [after] = await moveCommissions(ctx, actorOf(req), { step, ids });
      res.json(after);
    });
  }

  router.post('/ai_provider_keys/reencrypt', may('ai_provider_keys', 'reencrypt'), async (req, res) => {
    res.json(await reencryptProviderKeys(ctx, actorOf(req)));
  });
  router.post('/ai_provider_keys/:id/rotate', may('ai_provider_keys', 'rotate'), async (req, res) => {
    const args = { keyId: parseRecordId(req.params.id), key: validate(providerKeyInput, req).key };
    const held = await holdForApproval(ctx, actorOf(req), 'rotate_key', args, idempotencyKeyOf(req));
    if (held) return sendPending(res, held);
    res.json(await rotateProviderKey(ctx, actorOf(req), args));
  });
  for (const enabled of [true, false]) {
    const action = enabled ? 'enable' : 'disable';
    router.post(`/ai_provider_keys/:id/${action}`, may('ai_provider_keys', action), async (req, res) => {
      res.json(await setProviderKeyEnabled(ctx, actorOf(req), { keyId: parseRecordId(req.params.id), enabled }));
    });
  }

  router.post('/api_keys/:id/revoke', may('api_keys', 'revoke'), async (req, res) => {
    res.json(await revokeApiKey(ctx, actorOf(req), { keyId: parseRecordId(req.params.id) }));
  });

  router.use(approvalsRouter(ctx));

  return router;
}
