import { Router } from 'express';
import { requireRole } from '../../auth/middleware';
import type { AppContext } from '../../context';
import type { Adoption } from '../resources';
import { awardBadge } from './badges';
import { banActions } from './ban';
import { grantCredits } from './credits';
import { transition } from './transition';

/** The enabled capabilities of the mapping as routes, in today's shape: POST /api/<resource>/<id>/<action>. */
export function capabilitiesRouter(ctx: AppContext, adoption: Adoption) {
  const router = Router();
  const admin = requireRole('admin');
  const support = requireRole('support');
  for (const [key, spec] of Object.entries(adoption.mapping.capabilities)) {
    if (!spec.enabled) continue;
    const base = `/${spec.resource}/:id`;
    switch (spec.kind) {
      case 'credits':
        router.post(`${base}/credits`, admin, grantCredits(ctx, adoption, key, spec));
        break;
      case 'ban': {
        const { ban, unban } = banActions(ctx, adoption, key, spec);
        router.post(`${base}/ban`, support, ban);
        router.post(`${base}/unban`, support, unban);
        break;
      }
      case 'badges':
        router.post(`${base}/badges`, admin, awardBadge(ctx, adoption, key, spec));
        break;
      case 'transition':
        router.post(`${base}/${spec.action}`, requireRole(spec.role ?? 'admin'), transition(ctx, adoption, key, spec));
        break;
    }
  }
  return router;
}

/** Which actions a record of each resource offers, for the console (metadata endpoint). */
export function actionsByResource(adoption: Adoption): Record<string, { key: string; action: string; kind: string; role: 'admin' | 'support' }[]> {
  const out: Record<string, { key: string; action: string; kind: string; role: 'admin' | 'support' }[]> = {};
  for (const [key, spec] of Object.entries(adoption.mapping.capabilities)) {
    if (!spec.enabled) continue;
    const list = (out[spec.resource] ??= []);
    if (spec.kind === 'credits') list.push({ key, action: 'credits', kind: 'credits', role: 'admin' });
    if (spec.kind === 'ban') list.push({ key, action: 'ban', kind: 'ban', role: 'support' }, { key, action: 'unban', kind: 'unban', role: 'support' });
    if (spec.kind === 'badges') list.push({ key, action: 'badges', kind: 'badges', role: 'admin' });
    if (spec.kind === 'transition') list.push({ key, action: spec.action, kind: 'transition', role: spec.role ?? 'admin' });
  }
  return out;
}
