import { Router } from 'express';
import type { AppContext } from '../context';

/** Domain actions (POST /api/{resource}/{id}/{action}); each is one transaction with its audit row. */
export function actionsRouter(_ctx: AppContext) {
  const router = Router();
  return router;
}
