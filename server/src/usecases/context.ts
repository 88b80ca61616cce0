import type { AppContext } from '../context';
import { resourceModels } from '../resources';
import type { ActionContext } from './records';

/** The deps model-based use cases take: the app context plus the resource models (built once). */
export function actionContext(ctx: AppContext): ActionContext {
  return { ...ctx, db: ctx.database.db, models: resourceModels() };
}
