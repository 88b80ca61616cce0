import { Router } from 'express';
import { ACTION_ROLES, type OperatorRole } from '../../../contract';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { commissionStep, commissionStepMany } from '../growth/affiliateCommission';
import { revokeApiKey } from '../ai/apiKeys';
import { awardBadge } from '../gamification/awardBadge';
import { banInput, banUser, unbanUser } from '../auth/banUser';
import { grantCredits } from '../billing/grantCredits';
import { reencryptProviderKeys, rotateProviderKey, setProviderKeyEnabled } from '../ai/providerKeys';
import { refundOrder } from '../billing/refundOrder';
import { actionContext, parseRecordId, validate } from '../usecases/support';
import { actorOf } from './request';
import { rerunFeats } from '../gamification/rerunFeats';

/**
 * Domain actions (POST /api/{resource}/{id}/{action}); each is one transaction with its audit row.
 * The role each needs comes from the shared permission matrix, which the console reads too.
 */
export function actionsRouter(appCtx: AppContext) {
  const ctx = actionContext(appCtx);
  const may = <R extends keyof typeof ACTION_ROLES>(resource: R, action: keyof (typeof ACTION_ROLES)[R]) =>
    requireRole(ACTION_ROLES[resource][action] as OperatorRole);
  const router = Router();

  router.post('/users/:id/credits', may('users', 'grant_credits'), grantCredits(ctx));
  // Thin adapters: parse the path and body, call the use case as this operator, answer with its result.
  router.post('/users/:id/ban', may('users', 'ban'), async (req, res) => {
    res.json(await banUser(ctx, actorOf(req), { userId: parseRecordId(req.params.id), ...validate(banInput, req) }));
  });
  router.post('/users/:id/unban', may('users', 'unban'), async (req, res) => {
    res.json(await unbanUser(ctx, actorOf(req), { userId: parseRecordId(req.params.id) }));
  });
  router.post('/users/:id/badges', may('users', 'award_badge'), awardBadge(ctx));
  router.post('/users/:id/feats', may('users', 'award_badge'), rerunFeats(ctx));

  router.post('/orders/:id/refund', may('orders', 'refund'), refundOrder(ctx));

  router.post('/affiliates/approve', may('affiliates', 'approve'), commissionStepMany(ctx, 'approve'));
  router.post('/affiliates/pay', may('affiliates', 'pay'), commissionStepMany(ctx, 'pay'));
  router.post('/affiliates/:id/approve', may('affiliates', 'approve'), commissionStep(ctx, 'approve'));
  router.post('/affiliates/:id/pay', may('affiliates', 'pay'), commissionStep(ctx, 'pay'));

  router.post('/ai_provider_keys/reencrypt', may('ai_provider_keys', 'reencrypt'), reencryptProviderKeys(ctx));
  router.post('/ai_provider_keys/:id/rotate', may('ai_provider_keys', 'rotate'), rotateProviderKey(ctx));
  router.post('/ai_provider_keys/:id/enable', may('ai_provider_keys', 'enable'), setProviderKeyEnabled(ctx, true));
  router.post('/ai_provider_keys/:id/disable', may('ai_provider_keys', 'disable'), setProviderKeyEnabled(ctx, false));

  router.post('/api_keys/:id/revoke', may('api_keys', 'revoke'), async (req, res) => {
    res.json(await revokeApiKey(ctx, actorOf(req), { keyId: parseRecordId(req.params.id) }));
  });

  return router;
}
