import { Router } from 'express';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { commissionStep, commissionStepMany } from './affiliateCommission';
import { revokeApiKey } from './apiKeys';
import { awardBadge } from './awardBadge';
import { banUser, unbanUser } from './banUser';
import { grantCredits } from './grantCredits';
import { reencryptProviderKeys, rotateProviderKey, setProviderKeyEnabled } from './providerKeys';
import { refundOrder } from './refundOrder';
import { rerunFeats } from './rerunFeats';
import { actionContext } from './support';

/**
 * Domain actions (POST /api/{resource}/{id}/{action}); each is one transaction with its audit row.
 * The role each needs is stated here, next to its route, so the whole permission table reads at once.
 */
export function actionsRouter(appCtx: AppContext) {
  const ctx = actionContext(appCtx);
  const admin = requireRole('admin');
  const support = requireRole('support');
  const router = Router();

  router.post('/users/:id/credits', admin, grantCredits(ctx));
  router.post('/users/:id/ban', support, banUser(ctx));
  router.post('/users/:id/unban', support, unbanUser(ctx));
  router.post('/users/:id/badges', admin, awardBadge(ctx));
  router.post('/users/:id/feats', admin, rerunFeats(ctx));

  router.post('/orders/:id/refund', admin, refundOrder(ctx));

  router.post('/affiliates/approve', admin, commissionStepMany(ctx, 'approve'));
  router.post('/affiliates/pay', admin, commissionStepMany(ctx, 'pay'));
  router.post('/affiliates/:id/approve', admin, commissionStep(ctx, 'approve'));
  router.post('/affiliates/:id/pay', admin, commissionStep(ctx, 'pay'));

  router.post('/ai_provider_keys/reencrypt', admin, reencryptProviderKeys(ctx));
  router.post('/ai_provider_keys/:id/rotate', admin, rotateProviderKey(ctx));
  router.post('/ai_provider_keys/:id/enable', admin, setProviderKeyEnabled(ctx, true));
  router.post('/ai_provider_keys/:id/disable', admin, setProviderKeyEnabled(ctx, false));

  router.post('/api_keys/:id/revoke', admin, revokeApiKey(ctx));

  return router;
}
