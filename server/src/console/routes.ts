import { Router } from 'express';
import { ACTION_ROLES } from '../../../contract';
import { z } from 'zod';
import { parseRecordId } from '../http/ids';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { auditActions } from '../ops/auditActions';
import { resourceModels } from '../resources';
import { failGenerations, failGenerationsInput } from '../ai/failGenerations';
import { globalSearch, searchInput } from './globalSearch';
import { userSegmentCounts } from './segmentCounts';
import { userSummary } from './userSummary';
import { timelineInput, userTimeline } from './userTimeline';

const limitQuery = z.object({ limit: z.coerce.number({ error: 'A whole number' }).optional() });

/**
 * What the console needs beyond the resource REST contract: the user page's summary and timeline,
 * the search box, the audit log's action list, and marking stuck generations failed with a refund.
 * Each route parses, authorizes and calls a plain `(deps, actor, input)` function.
 */
export function consoleRouter(ctx: AppContext) {
  const deps = { db: ctx.database.db, models: resourceModels() };
  const router = Router();
  const failRefund = requireRole(ACTION_ROLES.generations.fail_refund);
  const support = requireRole('support');

  // Declared before /users/:id/…: "segments" is not a user id.
  router.get('/users/segments', support, async (req, res) => {
    res.json(await userSegmentCounts(deps, actorOf(req)));
  });

  router.get('/users/:id/summary', support, async (req, res) => {
    res.json(await userSummary(deps, actorOf(req), { id: parseRecordId(req.params.id) }));
  });

  router.get('/users/:id/timeline', support, async (req, res) => {
    const { limit } = parseBody(limitQuery, req.query);
    res.json(await userTimeline(deps, actorOf(req), parseBody(timelineInput, { id: parseRecordId(req.params.id), limit })));
  });

  router.get('/search', support, async (req, res) => {
    res.json(await globalSearch(deps, actorOf(req), parseBody(searchInput, { q: req.query.q })));
  });

  router.get('/audit_actions', support, async (req, res) => {
    res.json(await auditActions(deps, actorOf(req)));
  });

  router.post('/generations/fail', failRefund, async (req, res) => {
    res.json({ data: await failGenerations(deps, actorOf(req), parseBody(failGenerationsInput, req.body ?? {})) });
  });
  router.post('/generations/:id/fail', failRefund, async (req, res) => {
    const { reason } = parseBody(failGenerationsInput.pick({ reason: true }), req.body ?? {});
    const [one] = await failGenerations(deps, actorOf(req), { ids: [parseRecordId(req.params.id)], reason });
    res.json(one);
  });

  return router;
}
