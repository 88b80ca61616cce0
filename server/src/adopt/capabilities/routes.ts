import { Router, type Request } from 'express';
import { banInput } from '../../auth/banUser';
import { requireRole } from '../../auth/middleware';
import { grantInput } from '../../billing/grantCredits';
import type { AppContext } from '../../context';
import { badRequest } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf } from '../../http/request';
import type { Adoption } from '../resources';
import { awardInput } from './badges';
import { bindCapabilities, type CapabilityDeps } from './index';

/** The client's Idempotency-Key header, checked for shape; the use case scopes it to the operator and record. */
function idempotencyKeyOf(req: Request): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).');
  return raw;
}

const idOf = (req: Request) => String(req.params.id);

/**
 * The enabled capabilities of the mapping as routes, in today's shape: POST /api/<resource>/<id>/<action>.
 * Each parses the body, authorizes by role, calls the capability's use case as this operator and answers.
 */
export function capabilitiesRouter(ctx: AppContext, adoption: Adoption) {
  const router = Router();
  const admin = requireRole('admin');
  const support = requireRole('support');
  const deps: CapabilityDeps = {
    // A getter, as the database may be swapped on a running app.
    get db() {
      return ctx.database.db;
    },
  };
  for (const cap of bindCapabilities(adoption).values()) {
    const base = `/${cap.resource}/:id`;
    switch (cap.kind) {
      case 'credits':
        router.post(`${base}/credits`, admin, async (req, res) => {
          const input = parseBody(grantInput, req.body ?? {});
          const { replayed, adjustment } = await cap.adjust(deps, actorOf(req), { id: idOf(req), ...input, idempotencyKey: idempotencyKeyOf(req) });
          if (replayed) res.set('Idempotent-Replayed', 'true');
          res.json(adjustment);
        });
        break;
      case 'ban':
        router.post(`${base}/ban`, support, async (req, res) => {
          const input = parseBody(banInput, req.body ?? {});
          res.json(await cap.ban(deps, actorOf(req), { id: idOf(req), ...input }));
        });
        router.post(`${base}/unban`, support, async (req, res) => {
          res.json(await cap.unban(deps, actorOf(req), { id: idOf(req) }));
        });
        break;
      case 'badges':
        router.post(`${base}/badges`, admin, async (req, res) => {
          const { badge_id } = parseBody(awardInput, req.body ?? {});
          res.status(201).json(await cap.award(deps, actorOf(req), { id: idOf(req), badgeId: badge_id }));
        });
        break;
      case 'transition':
        router.post(`${base}/${cap.action}`, requireRole(cap.role), async (req, res) => {
          res.json(await cap.move(deps, actorOf(req), { id: idOf(req) }));
        });
        break;
    }
  }
  return router;
}
