import type { AppContext } from '../context';
import { resourceModels } from '../resources';
import type { ActionContext } from './records';

/** The deps model-based use cases take: the app context, its database as `db`, the resource models (built once). */
export function actionContext(ctx: AppContext): ActionContext {
  // A getter: routers are built (and their permissions read) before a database is attached.
  return {
    ...ctx,
    get db() {
      return ctx.database.db;
    },
    models: resourceModels(),
  };
}
