import { Router } from 'express';
import { ACTION_ROLES } from '../../../../contract';
import { requireRole } from '../middleware';
import type { AppContext } from '../../context';
import { parseRecordId } from '../../http/ids';
import { validate } from '../../http/parseBody';
import { actorOf } from '../../http/request';
import { addUserNote, noteInput } from './addUserNote';

/** POST /api/users/:id/notes {body}: support and admins may write. Reading is GET /api/user_notes. */
export function notesRouter(ctx: AppContext) {
  const router = Router();
  router.post('/users/:id/notes', requireRole(ACTION_ROLES.users.note), async (req, res) => {
    const userId = parseRecordId(req.params.id);
    const { body } = validate(noteInput, req);
    res.status(201).json(await addUserNote({ db: ctx.database.db }, actorOf(req), { userId, body }));
  });
  return router;
}
