import { Router } from 'express';
import type { AppContext } from '../context';

/** GET /api/stats: the dashboard's figures, computed in SQL. */
export function statsRouter(_ctx: AppContext) {
  const router = Router();
  return router;
}
